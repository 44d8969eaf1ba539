using System.Linq.Expressions;
using Shop.Payment.Data;

namespace Shop.Payment.Payments;

/// <summary>An order's payment as the API shows it (the provider's reference stays inside).</summary>
public sealed record PaymentView(
    Guid Id,
    Guid OrderId,
    Guid CustomerId,
    decimal Amount,
    string Currency,
    PaymentStatus Status,
    string? DeclineReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ChargedAt,
    DateTimeOffset? RefundedAt,
    decimal RefundedAmount)
{
    /// <summary>Translated to SQL for queries.</summary>
    public static readonly Expression<Func<OrderPayment, PaymentView>> FromPayment = p => new PaymentView(
        p.Id, p.OrderId, p.CustomerId, p.Amount, p.Currency, p.Status, p.DeclineReason, p.CreatedAt, p.ChargedAt, p.RefundedAt,
        p.RefundedAmount);
}
