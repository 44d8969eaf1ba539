using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.ServiceDefaults.Data;
using Shop.Shipping.Data;

namespace Shop.Shipping.Shipments;

public static class GetShipment
{
    /// <summary>The shipment of one order, for the customer who placed it or an admin (404 for anyone else).</summary>
    public static Task<Results<Ok<ShipmentView>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        string? orderId, ClaimsPrincipal user, ShippingDbContext db, CancellationToken cancellationToken) =>
        CustomerOrderRecords.FindAsync(db.Shipments, orderId, user, ShipmentView.FromShipment, "shipment", cancellationToken);
}
