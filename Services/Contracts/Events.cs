namespace Shop.Contracts;

// Events, published (a fanout exchange per type; every interested service binds its own queue).

public sealed record OrderPlaced(
    Guid OrderId, Guid CustomerId, IReadOnlyList<OrderLine> Items, decimal Total, string Currency, DateTimeOffset PlacedAt);

public sealed record OrderCompleted(
    Guid OrderId, Guid CustomerId, decimal Total, string Currency, string TrackingNumber, DateTimeOffset CompletedAt);

/// <summary><see cref="Reason"/> is one of <see cref="OrderCancellationReasons"/>.</summary>
public sealed record OrderCancelled(Guid OrderId, Guid CustomerId, string Reason, string Detail, DateTimeOffset CancelledAt);

/// <summary>Why an order was cancelled; metrics and the read model group by these.</summary>
public static class OrderCancellationReasons
{
    public const string OutOfStock = "out_of_stock";
    public const string PaymentDeclined = "payment_declined";
    public const string ShipmentFailed = "shipment_failed";
    public const string Timeout = "timeout";
    public const string CustomerCancelled = "customer_cancelled";
}

public sealed record UserRegistered(Guid UserId, string Email, string DisplayName, DateTimeOffset RegisteredAt);

public sealed record UserProfileChanged(Guid UserId, string Email, string DisplayName);

public sealed record ProductCreated(int ProductId, string Name, decimal Price, string Currency, int InitialStock);

public sealed record ProductPriceChanged(int ProductId, decimal OldPrice, decimal NewPrice, string Currency);
