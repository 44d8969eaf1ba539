namespace Shop.Contracts;

// Commands to shipping (queue "shipping") and its replies to ordering.

public sealed record CreateShipment(Guid OrderId, Guid CustomerId, ShippingAddress Address, IReadOnlyList<OrderLine> Items);

/// <summary>Cancel the order's shipment (compensation). Cancelling what does not exist is a no-op reply.</summary>
public sealed record CancelShipment(Guid OrderId, string Reason);

public sealed record ShipmentCreated(Guid OrderId, Guid ShipmentId, string TrackingNumber);

public sealed record ShipmentFailed(Guid OrderId, string Reason);

public sealed record ShipmentCancelled(Guid OrderId);
