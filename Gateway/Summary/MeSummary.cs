using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Shop.ServiceDefaults.Authentication;

namespace Shop.Gateway.Summary;

public sealed class SummaryOptions
{
    /// <summary>How long each part may take; the answer never waits longer than this.</summary>
    public TimeSpan PartTimeout { get; set; } = TimeSpan.FromSeconds(1.5);
}

public sealed record UnavailablePart(string Part, string Reason);

public sealed record MeSummary(JsonElement? Profile, JsonElement? RecentOrders, int? UnreadNotifications, IReadOnlyList<UnavailablePart> Unavailable);

/// <summary>
/// GET /api/v1/me/summary: the caller's profile, recent orders and unread notification count, fetched in parallel
/// from identity, ordering and notification with the caller's own token. Each part has a deadline; a part that is
/// slow, failing or not deployed is named in "unavailable" and the rest is still answered (never a 500, never a hang).
/// </summary>
public static class MeSummaryEndpoint
{
    public static IEndpointRouteBuilder MapMeSummary(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/me/summary", GetAsync)
            .RequireAuthorization(ShopAuth.CustomerPolicy)
            .WithTags("Summary")
            .WithName("GetMySummary")
            .WithSummary("The caller's profile, five most recent orders and unread notification count, gathered in parallel; parts that did not answer in time are named in unavailable.");
        return app;
    }

    private static async Task<MeSummary> GetAsync(HttpContext context, IHttpClientFactory clients,
        Microsoft.Extensions.Options.IOptions<SummaryOptions> options, CancellationToken ct)
    {
        var auth = context.Request.Headers.Authorization.ToString();
        var deadline = options.Value.PartTimeout;
        var profile = FetchAsync("profile", "http://identity/api/v1/users/me", auth, deadline, ct);
        var orders = FetchAsync("orders", "http://ordering/api/v1/orders?pageSize=5", auth, deadline, ct);
        var unread = FetchAsync("notifications", "http://notification/api/v1/notifications/unread-count", auth, deadline, ct);
        await Task.WhenAll(profile, orders, unread);

        var unavailable = new[] { profile.Result, orders.Result, unread.Result }.Where(p => p.Error is not null)
            .Select(p => new UnavailablePart(p.Part, p.Error!)).ToList();
        int? unreadCount = unread.Result.Body is { } u && u.TryGetProperty("count", out var c) && c.TryGetInt32(out var n) ? n : null;
        JsonElement? recent = orders.Result.Body is { } o && o.TryGetProperty("items", out var items) ? items : orders.Result.Body;
        return new MeSummary(profile.Result.Body, recent, unreadCount, unavailable);

        async Task<(string Part, JsonElement? Body, string? Error)> FetchAsync(string part, string url, string authorization, TimeSpan timeout, CancellationToken outer)
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(outer);
            cts.CancelAfter(timeout);
            var watch = Stopwatch.StartNew();
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                if (AuthenticationHeaderValue.TryParse(authorization, out var header))
                {
                    request.Headers.Authorization = header;
                }
                using var response = await clients.CreateClient("summary").SendAsync(request, cts.Token);
                if (!response.IsSuccessStatusCode)
                {
                    return (part, null, $"{(int)response.StatusCode} from {new Uri(url).Host}");
                }
                using var doc = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cts.Token), cancellationToken: cts.Token);
                return (part, doc.RootElement.Clone(), null);
            }
            catch (OperationCanceledException) when (!outer.IsCancellationRequested)
            {
                return (part, null, $"no answer within {timeout.TotalMilliseconds:F0} ms");
            }
            catch (Exception ex) when (ex is HttpRequestException or JsonException or InvalidOperationException)
            {
                return (part, null, $"unreachable after {watch.ElapsedMilliseconds} ms: {ex.Message}");
            }
        }
    }
}
