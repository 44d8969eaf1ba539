using System.Net.Http.Headers;

namespace Shop.Catalog.Inventory;

/// <summary>
/// Calls inventory over HTTP (<c>http://inventory</c>, resolved by service discovery). For now the only call gives a
/// new product its initial stock; the order saga replaces it with a <c>ProductCreated</c> event.
/// </summary>
public sealed partial class InventoryClient(HttpClient http, ILogger<InventoryClient> logger)
{
    /// <summary>
    /// The most this call may take, retries included. It runs inside an admin's POST after the product is saved, so an
    /// absent inventory must cost seconds, not the 30 s the standard pipeline allows. (That pipeline is shared by every
    /// client through ConfigureHttpClientDefaults; replacing it for one client needs an experimental API.)
    /// PUT sets an absolute value, so the pipeline's retries are safe.
    /// </summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Sets the product's stock on hand, forwarding the caller's <paramref name="authorization"/> header (inventory
    /// lets only admins set stock). Returns false, and logs a warning, when inventory did not accept it.
    /// </summary>
    public async Task<bool> TrySetStockAsync(int productId, int onHand, string? authorization, CancellationToken cancellationToken)
    {
        var content = JsonContent.Create(new SetStockRequest(onHand));
        // Buffered so the request carries Content-Length rather than a chunked body: it is a few bytes.
        await content.LoadIntoBufferAsync(cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/stock/{productId}") { Content = content };
        if (AuthenticationHeaderValue.TryParse(authorization, out var credentials))
        {
            request.Headers.Authorization = credentials;
        }

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(Budget);
        try
        {
            using var response = await http.SendAsync(request, budget.Token);
            if (response.IsSuccessStatusCode)
            {
                return true;
            }
            LogRejected(logger, productId, (int)response.StatusCode);
            return false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Connection refused, the budget or a Polly timeout running out, an open circuit: all mean "not now".
            LogUnreachable(logger, productId, ex);
            return false;
        }
    }

    private sealed record SetStockRequest(int OnHand);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inventory refused the initial stock of product {ProductId} with status {StatusCode}; stock not initialised")]
    private static partial void LogRejected(ILogger logger, int productId, int statusCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inventory unreachable while setting the initial stock of product {ProductId}; stock not initialised")]
    private static partial void LogUnreachable(ILogger logger, int productId, Exception exception);
}
