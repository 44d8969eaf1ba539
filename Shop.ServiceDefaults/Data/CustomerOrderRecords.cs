using System.Linq.Expressions;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Shop.ServiceDefaults.Authentication;

namespace Shop.ServiceDefaults.Data;

/// <summary>A service's record of one order (a payment, a shipment), readable by the customer who placed the order.</summary>
public interface ICustomerOrderRecord
{
    Guid OrderId { get; }

    /// <summary>The <c>sub</c> of the customer who placed the order.</summary>
    Guid CustomerId { get; }
}

/// <summary>
/// <c>GET ...?orderId=</c> over a service's <see cref="ICustomerOrderRecord"/> table. A customer sees only their own:
/// another customer's record answers 404 like a missing one, so ids cannot be probed; an admin sees any. The order
/// id is bound as text so that a bad value is reported by name.
/// </summary>
public static class CustomerOrderRecords
{
    public static async Task<Results<Ok<TView>, ValidationProblem, ProblemHttpResult>> FindAsync<TRecord, TView>(
        IQueryable<TRecord> records, string? orderId, ClaimsPrincipal user, Expression<Func<TRecord, TView>> view,
        string what, CancellationToken cancellationToken)
        where TRecord : class, ICustomerOrderRecord
    {
        if (OrderIdQuery.Validate(orderId) is { } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var id = Guid.Parse(orderId!);

        var mine = records.AsNoTracking().Where(r => r.OrderId == id);
        if (!user.IsAdmin())
        {
            // A token without a usable subject owns nothing.
            var customerId = user.UserId() ?? Guid.Empty;
            mine = mine.Where(r => r.CustomerId == customerId);
        }
        var found = await mine.Select(view).SingleOrDefaultAsync(cancellationToken);

        return found is null
            ? TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: $"{char.ToUpperInvariant(what[0])}{what[1..]} not found",
                detail: $"Order {id} has no {what} of yours.")
            : TypedResults.Ok(found);
    }
}

/// <summary>The <c>orderId</c> query parameter's rules.</summary>
public static class OrderIdQuery
{
    public const string Field = "orderId";

    /// <summary>Null when <paramref name="value"/> is a non-empty GUID; otherwise the field errors.</summary>
    public static Dictionary<string, string[]>? Validate(string? value) =>
        string.IsNullOrWhiteSpace(value) ? new() { [Field] = ["Required."] }
        : !Guid.TryParse(value, out var id) || id == Guid.Empty ? new() { [Field] = ["Must be an order id (a non-empty GUID)."] }
        : null;
}
