using Shop.Contracts;

namespace Shop.Ordering.Data;

/// <summary>What the customer sees; the saga's state says in more detail what is done and what is awaited.</summary>
public enum OrderStatus
{
    /// <summary>Accepted; stock is being reserved.</summary>
    Placed,

    /// <summary>Stock is held; payment is being taken.</summary>
    StockReserved,

    /// <summary>Paid; the shipment is being booked.</summary>
    Paid,

    /// <summary>Shipped. Final.</summary>
    Completed,

    /// <summary>Cancelled; what was done is being undone (release, refund, cancel shipment).</summary>
    Cancelling,

    /// <summary>Cancelled and fully compensated. Final.</summary>
    Cancelled,
}

/// <summary>The compensations a cancelling order still waits for.</summary>
[Flags]
public enum Compensations
{
    None = 0,
    ReleaseStock = 1,
    RefundPayment = 2,
    CancelShipment = 4,
}

/// <summary>
/// An order and the state of its saga in one row, so that the status the customer sees, the saga's progress and the
/// outbox (in the same transaction) can never disagree.
/// </summary>
public sealed class Order
{
    public Guid Id { get; set; }

    public Guid CustomerId { get; set; }

    public OrderStatus Status { get; set; }

    public List<OrderItem> Items { get; set; } = [];

    public decimal Total { get; set; }

    public string Currency { get; set; } = "";

    public ShippingAddress ShippingAddress { get; set; } = new("", "", "", "", "");

    /// <summary>The card the customer chose, as the payment provider's token (never a card number).</summary>
    public string? PaymentToken { get; set; }

    public string IdempotencyKey { get; set; } = "";

    /// <summary>SHA-256 of the request body as understood: a replay with another body is refused (422).</summary>
    public string RequestFingerprint { get; set; } = "";

    // What the saga has done, so that compensation undoes exactly that.
    public bool StockReserved { get; set; }

    public bool PaymentCharged { get; set; }

    public bool ShipmentCreated { get; set; }

    public string? TrackingNumber { get; set; }

    public Compensations PendingCompensations { get; set; }

    /// <summary>Bumped on every step; a deadline message carries the number it was scheduled for, so an old one is ignored.</summary>
    public int Step { get; set; }

    public DateTimeOffset? StepDeadline { get; set; }

    public string? CancellationReason { get; set; }

    public string? CancellationDetail { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public DateTimeOffset? CancelledAt { get; set; }

    public List<OrderStep> History { get; set; } = [];

    public bool IsTerminal => Status is OrderStatus.Completed or OrderStatus.Cancelled;

    public IReadOnlyList<OrderLine> Lines => Items.Select(i => new OrderLine(i.ProductId, i.Quantity)).ToList();
}

/// <summary>A priced line: name and unit price as catalog gave them when the order was placed.</summary>
public sealed record OrderItem(int ProductId, string Name, decimal UnitPrice, int Quantity);

/// <summary>One entry of the order's history: when, which step, how it ended.</summary>
public sealed class OrderStep
{
    public long Id { get; set; }

    public Guid OrderId { get; set; }

    public DateTimeOffset At { get; set; }

    public string Name { get; set; } = "";

    public string Outcome { get; set; } = "";

    public string? Detail { get; set; }
}
