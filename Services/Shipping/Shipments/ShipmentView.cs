using System.Linq.Expressions;
using Shop.Shipping.Data;

namespace Shop.Shipping.Shipments;

/// <summary>An order's shipment as the API shows it.</summary>
public sealed record ShipmentView(
    Guid Id,
    Guid OrderId,
    Guid CustomerId,
    string? TrackingNumber,
    ShipmentStatus Status,
    string? FailureReason,
    ShipmentAddressView Address,
    int ItemCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CancelledAt)
{
    /// <summary>Translated to SQL for queries.</summary>
    public static readonly Expression<Func<Shipment, ShipmentView>> FromShipment = s => new ShipmentView(
        s.Id, s.OrderId, s.CustomerId, s.TrackingNumber, s.Status, s.FailureReason,
        new ShipmentAddressView(s.RecipientName, s.Street, s.City, s.PostalCode, s.Country),
        s.ItemCount, s.CreatedAt, s.CancelledAt);
}

public sealed record ShipmentAddressView(string Name, string Street, string City, string PostalCode, string Country);
