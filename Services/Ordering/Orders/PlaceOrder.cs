using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Shop.Contracts;
using Shop.Ordering.Data;
using Shop.Ordering.Pricing;
using Shop.Ordering.Saga;
using Shop.ServiceDefaults.Messaging;
using Wolverine.EntityFrameworkCore;

namespace Shop.Ordering.Orders;

/// <summary>
/// <c>POST /api/v1/orders</c> with an <c>Idempotency-Key</c>: prices the items at catalog (gRPC), then saves the order,
/// starts its saga and writes the saga's first messages to the outbox, in one transaction. 202 + Location.
/// </summary>
/// <remarks>
/// Idempotency (IETF draft): the same key and body get the same answer (with <c>Idempotent-Replayed: true</c>), also
/// after a restart; the same key with another body → 422; while the first request with a key is still running, a
/// second → 409; no key → 400. Catalog unreachable (breaker open, deadline) → 503 with <c>Retry-After</c>.
/// </remarks>
public static class PlaceOrder
{
    public const int MaxLines = 50;
    public const int MaxQuantity = 100;

    public sealed record Line(int? ProductId, int? Quantity);

    public sealed record Address(string? Name, string? Street, string? City, string? PostalCode, string? Country);

    public sealed record Request(IReadOnlyList<Line>? Items, Address? ShippingAddress, string? PaymentToken = null);

    public static async Task<IResult> HandleAsync(
        [FromBody] Request request,
        [FromHeader(Name = Idempotency.HeaderName)] string? idempotencyKey,
        ClaimsPrincipal user,
        OrderingDbContext db,
        IDbContextOutbox<OrderingDbContext> outbox,
        BackgroundSends sends,
        IdempotencyCache cache,
        CatalogPricingClient pricing,
        TimeProvider clock,
        IOptions<SagaOptions> saga,
        HttpResponse response,
        CancellationToken cancellationToken)
    {
        var (key, keyError) = Idempotency.Parse(idempotencyKey);
        if (key is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Idempotency-Key required", detail: keyError);
        }
        var errors = Validate(request);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var customerId = Caller.Id(user);
        var fingerprint = Idempotency.Fingerprint(request);
        var orderId = Idempotency.OrderId(customerId, key);

        if (await cache.GetAsync(customerId, key) is { } cached && cached.Fingerprint != fingerprint)
        {
            return KeyReused(key);
        }
        if (await ReplayAsync(db, orderId, fingerprint, key, response, cancellationToken) is { } replay)
        {
            return replay;
        }

        var owner = Guid.NewGuid().ToString("N");
        if (!await cache.TryLockAsync(customerId, key, owner))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Request in progress",
                detail: $"A request with this {Idempotency.HeaderName} is still being processed; retry shortly.");
        }
        try
        {
            IReadOnlyDictionary<int, ProductPrice> prices;
            try
            {
                prices = await pricing.GetPricesAsync(request.Items!.Select(l => l.ProductId!.Value).Distinct().ToList(), cancellationToken);
            }
            catch (CatalogUnavailableException ex)
            {
                response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(ex.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status503ServiceUnavailable,
                    title: "Catalog unavailable",
                    detail: "Prices cannot be confirmed right now; nothing was ordered. Retry with the same Idempotency-Key.");
            }

            var unknown = request.Items!.Select((line, i) => (line, i)).Where(x => !prices.ContainsKey(x.line.ProductId!.Value)).ToList();
            if (unknown.Count > 0)
            {
                return TypedResults.ValidationProblem(unknown.ToDictionary(
                    x => $"items[{x.i}].productId", x => new[] { $"Product {x.line.ProductId} does not exist." }));
            }

            var order = Create(orderId, customerId, key, fingerprint, request, prices);
            // PostgreSQL keeps microseconds: the replay's createdAt, read back, must equal this answer's.
            var now = clock.GetUtcNow();
            var output = OrderSaga.Start(order, now.AddTicks(-(now.Ticks % 10)), saga.Value.StepTimeout);
            try
            {
                await using var transaction = await outbox.BeginTransactionAsync(cancellationToken);
                db.Orders.Add(order);
                await SagaStore.SendAsync(outbox, output);
                await outbox.CommitAsync(transaction, sends, cancellationToken);
            }
            catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                // The same key won a race without Redis to stop it: its order is the answer.
                db.ChangeTracker.Clear();
                var winner = await ReplayAsync(db, orderId, fingerprint, key, response, cancellationToken);
                if (winner is null)
                {
                    throw;
                }
                return winner;
            }

            await cache.SetAsync(customerId, key, new IdempotencyCache.Entry(orderId, fingerprint));
            return TypedResults.Accepted($"/api/v1/orders/{orderId}", OrderAccepted.From(order));
        }
        finally
        {
            await cache.UnlockAsync(customerId, key, owner);
        }
    }

    private static async Task<IResult?> ReplayAsync(
        OrderingDbContext db, Guid orderId, string fingerprint, string key, HttpResponse response, CancellationToken cancellationToken)
    {
        var existing = await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == orderId, cancellationToken);
        if (existing is null)
        {
            return null;
        }
        if (existing.RequestFingerprint != fingerprint)
        {
            return KeyReused(key);
        }
        response.Headers[Idempotency.ReplayedHeaderName] = "true";
        return TypedResults.Accepted($"/api/v1/orders/{orderId}", OrderAccepted.From(existing));
    }

    private static IResult KeyReused(string key) => TypedResults.Problem(
        statusCode: StatusCodes.Status422UnprocessableEntity,
        title: "Idempotency-Key reused",
        detail: $"The {Idempotency.HeaderName} '{key}' was already used with a different request body.");

    private static Order Create(Guid id, Guid customerId, string key, string fingerprint, Request request, IReadOnlyDictionary<int, ProductPrice> prices)
    {
        var items = request.Items!
            .GroupBy(l => l.ProductId!.Value)
            .Select(g => new OrderItem(g.Key, prices[g.Key].Name, Money(prices[g.Key].Price), g.Sum(l => l.Quantity!.Value)))
            .ToList();
        var a = request.ShippingAddress!;
        return new Order
        {
            Id = id,
            CustomerId = customerId,
            Items = items,
            Total = Money(items.Sum(i => i.UnitPrice * i.Quantity)),
            Currency = prices.Values.First().Currency,
            ShippingAddress = new ShippingAddress(a.Name!.Trim(), a.Street!.Trim(), a.City!.Trim(), a.PostalCode!.Trim(), a.Country!.Trim().ToUpperInvariant()),
            PaymentToken = request.PaymentToken,
            IdempotencyKey = key,
            RequestFingerprint = fingerprint,
        };
    }

    /// <summary>
    /// Cents, always written with two decimals (20.00, not 20): the answer to a replay is read back from numeric(12,2)
    /// and must be the same, byte for byte, as the first answer.
    /// </summary>
    private static decimal Money(decimal amount) => decimal.Round(amount, 2, MidpointRounding.AwayFromZero) + 0.00m;

    /// <summary>Field errors of the body, keyed by JSON path (<c>items[0].quantity</c>); empty when it is valid.</summary>
    public static Dictionary<string, string[]> Validate(Request request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Items is null || request.Items.Count == 0)
        {
            errors["items"] = ["At least one item is required."];
        }
        else if (request.Items.Count > MaxLines)
        {
            errors["items"] = [$"At most {MaxLines} lines."];
        }
        else
        {
            for (var i = 0; i < request.Items.Count; i++)
            {
                var line = request.Items[i];
                if (line is null)
                {
                    errors[$"items[{i}]"] = ["Required."];
                    continue;
                }
                if (line.ProductId is null or <= 0)
                {
                    errors[$"items[{i}].productId"] = ["Must be a positive product id."];
                }
                if (line.Quantity is null or < 1 or > MaxQuantity)
                {
                    errors[$"items[{i}].quantity"] = [$"Must be between 1 and {MaxQuantity}."];
                }
            }
        }

        var a = request.ShippingAddress;
        if (a is null)
        {
            errors["shippingAddress"] = ["Required."];
        }
        else
        {
            Require(a.Name, "shippingAddress.name", 100);
            Require(a.Street, "shippingAddress.street", 200);
            Require(a.City, "shippingAddress.city", 100);
            Require(a.PostalCode, "shippingAddress.postalCode", 20);
            if (a.Country is null || a.Country.Trim().Length != 2 || !a.Country.Trim().All(char.IsAsciiLetter))
            {
                errors["shippingAddress.country"] = ["Must be a two-letter ISO 3166-1 country code, e.g. NL."];
            }
        }
        if (request.PaymentToken is { Length: > 64 })
        {
            errors["paymentToken"] = ["At most 64 characters."];
        }
        return errors;

        void Require(string? value, string field, int max)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                errors[field] = ["Required."];
            }
            else if (value.Trim().Length > max)
            {
                errors[field] = [$"At most {max} characters."];
            }
        }
    }
}
