using Shop.ServiceDefaults.Data;

namespace Shop.Payment.Data;

public enum PaymentStatus
{
    /// <summary>The provider took the money.</summary>
    Charged,

    /// <summary>The provider refused the charge; nothing was taken. Final.</summary>
    Declined,

    /// <summary>Charged, then given back in full. Final.</summary>
    Refunded,
}

/// <summary>
/// The one payment of an order (table <c>Payments</c>). The order id is unique, so a second charge for the same order
/// cannot be stored, whatever the redeliveries; a duplicate command is answered from this row instead.
/// </summary>
public sealed class OrderPayment : ICustomerOrderRecord
{
    public Guid Id { get; set; }

    public Guid OrderId { get; set; }

    /// <summary>The <c>sub</c> of the customer who placed the order: who may read this payment.</summary>
    public Guid CustomerId { get; set; }

    /// <summary>What was asked for; always positive, at most two decimals.</summary>
    public decimal Amount { get; set; }

    /// <summary>ISO 4217 code, e.g. <c>EUR</c>.</summary>
    public string Currency { get; set; } = "";

    public PaymentStatus Status { get; set; }

    /// <summary>Set when <see cref="Status"/> is <see cref="PaymentStatus.Declined"/>.</summary>
    public string? DeclineReason { get; set; }

    /// <summary>The provider's id of the charge; set once charged.</summary>
    public string? ProviderReference { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ChargedAt { get; set; }

    public DateTimeOffset? RefundedAt { get; set; }

    /// <summary>What went back to the customer: 0, or <see cref="Amount"/> once refunded.</summary>
    public decimal RefundedAmount { get; set; }

    /// <summary>
    /// Gives back what was charged and returns that amount: all of it the first time, 0 when nothing was charged
    /// (declined) or it went back already, so compensating twice never pays out twice.
    /// </summary>
    public decimal Refund(DateTimeOffset now)
    {
        if (Status != PaymentStatus.Charged)
        {
            return 0m;
        }
        Status = PaymentStatus.Refunded;
        RefundedAt = now;
        RefundedAmount = Amount;
        return Amount;
    }
}
