using System.Net.Http.Headers;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.ServiceDefaults.Authentication;

namespace Shop.Gateway.Admin;

/// <summary>
/// The dead letters of every service in one place, for admins: <c>GET /api/v1/admin/dead-letters</c> asks each
/// messaging service for its list in parallel (with the caller's token, each service checks the admin role too) and
/// merges them, newest first, naming services that did not answer; <c>POST /api/v1/admin/dead-letters/{id}/replay</c>
/// finds the service holding the message and has it replayed.
/// </summary>
public static class DeadLetters
{
    /// <summary>
    /// The services that may hold dead letters: every service the gateway knows through service discovery
    /// (<c>services:&lt;name&gt;</c>, set by the AppHost for each service it references), so a service added to the
    /// AppHost is asked too. Every Shop service handles messages.
    /// </summary>
    public static IReadOnlyList<string> Services(IConfiguration configuration) =>
        [.. configuration.GetSection("services").GetChildren().Select(service => service.Key).Order(StringComparer.Ordinal)];

    private static readonly TimeSpan PartTimeout = TimeSpan.FromSeconds(3);

    public sealed record UnavailableService(string Service, string Reason);

    public sealed record DeadLetterOverview(IReadOnlyList<JsonElement> Items, int Total, IReadOnlyList<UnavailableService> Unavailable);

    public static IEndpointRouteBuilder MapDeadLetters(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/admin/dead-letters")
            .RequireAuthorization(ShopAuth.AdminPolicy)
            .WithTags("Dead letters");
        group.MapGet("/", ListAsync)
            .WithName("ListDeadLetters")
            .WithSummary("Messages that failed every retry, in every service, newest first; services that did not answer are named (admins).");
        group.MapPost("/{id:guid}/replay", ReplayAsync)
            .WithName("ReplayDeadLetter")
            .WithSummary("Puts a dead letter back on its service's queue (admins).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<Ok<DeadLetterOverview>> ListAsync(HttpContext context, IHttpClientFactory clients, IConfiguration configuration, CancellationToken ct)
    {
        var parts = await Task.WhenAll(Services(configuration).Select(service => CallAsync(clients, context, HttpMethod.Get, service, "/api/v1/admin/dead-letters", ct)));
        var items = new List<JsonElement>();
        var total = 0;
        var unavailable = new List<UnavailableService>();
        foreach (var (service, status, body, error) in parts)
        {
            if (error is not null || status != HttpStatusCode.OK || body is not { } json)
            {
                unavailable.Add(new UnavailableService(service, error ?? $"{(int)status} from {service}"));
                continue;
            }
            total += json.GetProperty("total").GetInt32();
            items.AddRange(json.GetProperty("items").EnumerateArray());
        }
        items.Sort((a, b) => b.GetProperty("sentAt").GetDateTimeOffset().CompareTo(a.GetProperty("sentAt").GetDateTimeOffset()));
        return TypedResults.Ok(new DeadLetterOverview(items, total, unavailable));
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> ReplayAsync(Guid id, HttpContext context, IHttpClientFactory clients, IConfiguration configuration, CancellationToken ct)
    {
        var parts = await Task.WhenAll(Services(configuration).Select(service =>
            CallAsync(clients, context, HttpMethod.Post, service, $"/api/v1/admin/dead-letters/{id}/replay", ct)));
        if (parts.Any(p => p.Status == HttpStatusCode.Accepted))
        {
            return TypedResults.Accepted((string?)null);
        }
        var down = parts.Where(p => p.Error is not null || p.Status is not HttpStatusCode.NotFound).Select(p => p.Service).ToList();
        return down.Count == 0
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Dead letter not found",
                detail: $"No service holds dead letter {id}.")
            : TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Dead letter not found yet",
                detail: $"Dead letter {id} was not found, and {string.Join(", ", down)} did not answer; try again.");
    }

    private static async Task<(string Service, HttpStatusCode Status, JsonElement? Body, string? Error)> CallAsync(
        IHttpClientFactory clients, HttpContext context, HttpMethod method, string service, string path, CancellationToken outer)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(outer);
        cts.CancelAfter(PartTimeout);
        try
        {
            using var request = new HttpRequestMessage(method, $"http://{service}{path}");
            if (AuthenticationHeaderValue.TryParse(context.Request.Headers.Authorization, out var auth))
            {
                request.Headers.Authorization = auth;
            }
            using var response = await clients.CreateClient("summary").SendAsync(request, cts.Token);
            JsonElement? body = null;
            if (response.StatusCode == HttpStatusCode.OK)
            {
                using var doc = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cts.Token), cancellationToken: cts.Token);
                body = doc.RootElement.Clone();
            }
            return (service, response.StatusCode, body, null);
        }
        catch (OperationCanceledException) when (!outer.IsCancellationRequested)
        {
            return (service, default, null, $"no answer within {PartTimeout.TotalSeconds:F0} s");
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or InvalidOperationException)
        {
            return (service, default, null, $"unreachable: {ex.Message}");
        }
    }
}
