using Grpc.Core;
using Polly.CircuitBreaker;
using Shop.Catalog.Pricing.V1;

namespace Shop.Ordering.Pricing;

/// <summary>A product's name and current unit price, as catalog has it.</summary>
public sealed record ProductPrice(string Name, decimal Price, string Currency);

/// <summary>Asks catalog for current prices over gRPC (<c>CatalogPricing.GetPrices</c>); see <see cref="CatalogPricingExtensions"/>.</summary>
public sealed partial class CatalogPricingClient(CatalogPricing.CatalogPricingClient grpc, ILogger<CatalogPricingClient> logger)
{
    private const decimal NanosPerUnit = 1_000_000_000m;

    /// <summary>
    /// The name, price and currency of each product catalog knows, by product id; unknown ids are absent.
    /// Throws <see cref="CatalogUnavailableException"/> when catalog cannot answer within
    /// <see cref="CatalogPricingExtensions.TotalTimeout"/> (at once while its circuit is open).
    /// </summary>
    public async Task<IReadOnlyDictionary<int, ProductPrice>> GetPricesAsync(
        IReadOnlyCollection<int> productIds, CancellationToken cancellationToken)
    {
        var prices = new Dictionary<int, ProductPrice>();
        if (productIds.Count == 0)
        {
            return prices;
        }

        var request = new GetPricesRequest();
        request.ProductIds.AddRange(productIds);
        GetPricesReply reply;
        try
        {
            // The deadline bounds the call even if the pipeline's timeouts were to change, and travels to catalog
            // (grpc-timeout), which stops working on an answer nobody waits for any more.
            reply = await grpc.GetPricesAsync(
                request, deadline: DateTime.UtcNow + CatalogPricingExtensions.TotalTimeout, cancellationToken: cancellationToken);
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            var retryAfter = RetryAfter(ex);
            LogUnavailable(logger, ex.StatusCode, retryAfter, ex);
            throw new CatalogUnavailableException(retryAfter, $"Catalog could not price products: {ex.StatusCode}.", ex);
        }

        foreach (var price in reply.Prices)
        {
            if (price.Amount is not { } amount || !IsWellFormed(amount))
            {
                throw new CatalogUnavailableException(
                    CatalogPricingExtensions.BreakDuration, $"Catalog sent a malformed price for product {price.ProductId}.", null);
            }
            prices[price.ProductId] = new ProductPrice(price.Name, amount.Units + amount.Nanos / NanosPerUnit, price.Currency);
        }
        return prices;
    }

    // Units and nanos share a sign, and nanos stay below one unit (pricing.proto).
    private static bool IsWellFormed(DecimalValue amount) =>
        amount.Nanos is > -1_000_000_000 and < 1_000_000_000
        && !(amount.Units > 0 && amount.Nanos < 0) && !(amount.Units < 0 && amount.Nanos > 0);

    /// <summary>An open circuit says when it closes again; any other failure suggests one break's wait.</summary>
    private static TimeSpan RetryAfter(RpcException exception)
    {
        // The gRPC client wraps what the HttpClient pipeline threw in the status's debug exception.
        for (var inner = exception.Status.DebugException; inner is not null; inner = inner.InnerException)
        {
            if (inner is BrokenCircuitException { RetryAfter: { } remaining })
            {
                return remaining > TimeSpan.Zero ? remaining : TimeSpan.FromSeconds(1);
            }
        }
        return CatalogPricingExtensions.BreakDuration;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catalog pricing unavailable ({StatusCode}); suggesting a retry after {RetryAfter}")]
    private static partial void LogUnavailable(ILogger logger, StatusCode statusCode, TimeSpan retryAfter, Exception exception);
}
