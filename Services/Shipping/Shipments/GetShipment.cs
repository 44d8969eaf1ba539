using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Shop.Shipping.Data;

namespace Shop.Shipping.Shipments;

public static class GetShipment
{
    /// <summary>
    /// The shipment of one order. A customer sees only their own: another customer's shipment answers 404 like a
    /// missing one, so ids cannot be probed. <paramref name="orderId"/> is bound as text so that a bad value is reported
    /// by name.
    /// </summary>
    public static async Task<Results<Ok<ShipmentView>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        string? orderId, ClaimsPrincipal user, ShippingDbContext db, CancellationToken cancellationToken)
    {
        if (OrderIdQuery.Validate(orderId) is { } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var id = Guid.Parse(orderId!);

        var shipments = db.Shipments.AsNoTracking().Where(s => s.OrderId == id);
        if (!user.IsAdmin())
        {
            // A token without a usable subject owns nothing.
            var customerId = user.UserId() ?? Guid.Empty;
            shipments = shipments.Where(s => s.CustomerId == customerId);
        }
        var shipment = await shipments.Select(ShipmentView.FromShipment).SingleOrDefaultAsync(cancellationToken);

        return shipment is null
            ? TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Shipment not found",
                detail: $"Order {id} has no shipment of yours.")
            : TypedResults.Ok(shipment);
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
