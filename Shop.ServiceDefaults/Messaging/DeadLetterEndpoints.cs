using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Shop.ServiceDefaults.Authentication;
using Wolverine.Persistence.Durability.DeadLetterManagement;
using Wolverine.Persistence.Durability;

namespace Shop.ServiceDefaults.Messaging;

/// <summary>
/// Admin endpoints over the service's dead-letter table (messages that failed every retry):
/// <c>GET /api/v1/admin/dead-letters</c> lists them, <c>POST /api/v1/admin/dead-letters/{id}/replay</c> puts one back
/// in the inbox, where it is handled again (after the fix for whatever made it fail). The gateway gathers the
/// lists of all services into one.
/// </summary>
public static class DeadLetterEndpoints
{
    public const int MaxLimit = 500;

    public sealed record DeadLetterView(
        Guid Id, string Service, string MessageType, string ExceptionType, string ExceptionMessage,
        DateTimeOffset SentAt, string? ReceivedAt, bool Replayable, string? Body);

    public sealed record DeadLetterList(string Service, int Total, IReadOnlyList<DeadLetterView> Items);

    public static IEndpointRouteBuilder MapDeadLetterEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/admin/dead-letters")
            .WithTags("Dead letters")
            .RequireAuthorization(ShopAuth.AdminPolicy)
            // Internal: the gateway's own dead-letter endpoints, in its document, gather these from every service.
            .ExcludeFromDescription();

        group.MapGet("/", ListAsync);
        group.MapPost("/{id:guid}/replay", ReplayAsync);
        return app;
    }

    private static async Task<Results<Ok<DeadLetterList>, ValidationProblem>> ListAsync(
        IMessageStore store, IConfiguration configuration, IHostEnvironment environment, CancellationToken cancellationToken, int limit = 100)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"Must be between 1 and {MaxLimit}."] });
        }
        var results = await store.DeadLetters.QueryAsync(new DeadLetterEnvelopeQuery { PageSize = limit }, cancellationToken);
        // The resource name (as the AppHost and the dashboard call the service), not the assembly name.
        var service = configuration["OTEL_SERVICE_NAME"] ?? environment.ApplicationName.ToLowerInvariant();
        var items = results.Envelopes
            .OrderByDescending(e => e.SentAt)
            .Select(e => new DeadLetterView(e.Id, service, e.MessageType, e.ExceptionType, e.ExceptionMessage, e.SentAt,
                e.ReceivedAt, e.Replayable, e.Envelope.Data is { Length: > 0 } data ? System.Text.Encoding.UTF8.GetString(data) : null))
            .ToList();
        return TypedResults.Ok(new DeadLetterList(service, results.TotalCount, items));
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> ReplayAsync(Guid id, IMessageStore store, CancellationToken cancellationToken)
    {
        if (await store.DeadLetters.DeadLetterEnvelopeByIdAsync(id) is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Dead letter not found",
                detail: $"There is no dead letter {id} in this service.");
        }
        await store.DeadLetters.ReplayAsync(new DeadLetterEnvelopeQuery([id]), cancellationToken);
        return TypedResults.Accepted((string?)null);
    }
}
