namespace Shop.Ordering.Data;

/// <summary>
/// The read model behind <c>GET /api/v1/orders</c>: one denormalised row per order, kept per customer and updated
/// only from the published events (OrderPlaced, OrderCompleted, OrderCancelled), never from the saga's table.
/// </summary>
public sealed class OrderSummary
{
    public Guid OrderId { get; set; }

    public Guid CustomerId { get; set; }

    /// <summary>Placed, Completed or Cancelled: the events the read model hears about.</summary>
    public string Status { get; set; } = "";

    public decimal Total { get; set; }

    public string Currency { get; set; } = "";

    public int ItemCount { get; set; }

    public string? TrackingNumber { get; set; }

    public string? CancellationReason { get; set; }

    public DateTimeOffset PlacedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
