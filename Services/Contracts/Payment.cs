namespace Shop.Contracts;

// Commands to payment (queue "payment") and its replies to ordering.

/// <summary>
/// Charge the order's total once. <see cref="PaymentToken"/> stands for the card the customer chose (a test token
/// such as <c>tok_decline</c> makes the simulated provider decline).
/// </summary>
public sealed record ChargePayment(Guid OrderId, Guid CustomerId, decimal Amount, string Currency, string? PaymentToken);

/// <summary>Give back what was charged for the order (compensation). Refunding an uncharged order is a no-op reply.</summary>
public sealed record RefundPayment(Guid OrderId, string Reason);

public sealed record PaymentCharged(Guid OrderId, Guid PaymentId, decimal Amount, string Currency);

public sealed record PaymentDeclined(Guid OrderId, string Reason);

/// <summary><see cref="Amount"/> is what went back: 0 when nothing had been charged.</summary>
public sealed record PaymentRefunded(Guid OrderId, decimal Amount, string Currency);
