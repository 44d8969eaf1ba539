namespace Shop.Contracts;

// Commands to inventory (queue "inventory") and its replies to ordering.

/// <summary>Reserve every line of the order, or none. One reservation per order, whatever the redeliveries.</summary>
public sealed record ReserveStock(Guid OrderId, IReadOnlyList<OrderLine> Items);

/// <summary>Hand the order's reservation back (compensation). Releasing what is not reserved is a no-op reply.</summary>
public sealed record ReleaseStock(Guid OrderId, string Reason);

public sealed record StockReserved(Guid OrderId);

public sealed record StockReservationFailed(Guid OrderId, string Reason);

public sealed record StockReleased(Guid OrderId);
