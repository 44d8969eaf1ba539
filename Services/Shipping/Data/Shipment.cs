using Shop.ServiceDefaults.Data;

namespace Shop.Shipping.Data;

public enum ShipmentStatus
{
    /// <summary>Booked with the carrier, with a tracking number.</summary>
    Created,

    /// <summary>Booked, then called off (the order was compensated). Final.</summary>
    Cancelled,

    /// <summary>Could not be booked (e.g. a country not served). Final: the order gets no shipment.</summary>
    Failed,
}

/// <summary>
/// The one shipment of an order. The order id is unique, so a second shipment for the same order cannot be stored,
/// whatever the redeliveries; a duplicate command is answered from this row instead.
/// </summary>
public sealed class Shipment : ICustomerOrderRecord
{
    public Guid Id { get; set; }

    public Guid OrderId { get; set; }

    /// <summary>The <c>sub</c> of the customer who placed the order: who may read this shipment.</summary>
    public Guid CustomerId { get; set; }

    /// <summary><c>SHP-</c> and ten capital letters or digits; unique. Null when the shipment failed.</summary>
    public string? TrackingNumber { get; set; }

    public ShipmentStatus Status { get; set; }

    /// <summary>Set when <see cref="Status"/> is <see cref="ShipmentStatus.Failed"/>.</summary>
    public string? FailureReason { get; set; }

    public string RecipientName { get; set; } = "";

    public string Street { get; set; } = "";

    public string City { get; set; } = "";

    public string PostalCode { get; set; } = "";

    /// <summary>ISO 3166-1 alpha-2, upper case.</summary>
    public string Country { get; set; } = "";

    /// <summary>Units in the parcel: the sum of the order lines' quantities.</summary>
    public int ItemCount { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? CancelledAt { get; set; }

    /// <summary>
    /// Calls a booked shipment off and says whether it did: a failed or already cancelled shipment has nothing left to
    /// cancel, so cancelling again changes nothing.
    /// </summary>
    public bool Cancel(DateTimeOffset now)
    {
        if (Status != ShipmentStatus.Created)
        {
            return false;
        }
        Status = ShipmentStatus.Cancelled;
        CancelledAt = now;
        return true;
    }
}
