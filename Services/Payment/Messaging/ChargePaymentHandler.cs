using Microsoft.EntityFrameworkCore;
using Shop.Contracts;
using Shop.Payment.Data;
using Shop.Payment.Provider;
using Shop.ServiceDefaults.Messaging;
using Wolverine.Runtime.Handlers;

namespace Shop.Payment.Messaging;

/// <summary>
/// <c>ChargePayment</c> from the order saga: at most one charge per order. A redelivered or duplicate command waits for
/// the first one (<see cref="PaymentDbContext.LockOrderAsync"/>) and is answered with its stored outcome; the unique
/// order id is the last line of defence. A transient provider failure throws, and the whole handler runs again later.
/// </summary>
public static class ChargePaymentHandler
{
    public const string AlreadyRefunded = "already refunded";

    public static void Configure(HandlerChain chain) => OutageRetries.Apply<PaymentProviderUnavailableException>(chain);

    public static async Task<object> Handle(
        ChargePayment command, PaymentDbContext db, PaymentProvider provider, PaymentMetrics metrics, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        await db.LockOrderAsync(command.OrderId, cancellationToken);
        var stored = await db.Payments.AsNoTracking().SingleOrDefaultAsync(p => p.OrderId == command.OrderId, cancellationToken);
        if (stored is not null)
        {
            return Reply(stored);
        }

        if (ChargeRules.Validate(command) is { } invalid)
        {
            metrics.Declined(invalid);
            return new PaymentDeclined(command.OrderId, invalid);
        }

        var charge = await provider.ChargeAsync(command, cancellationToken);
        var payment = Record(command, charge, clock.GetUtcNow());
        db.Payments.Add(payment);
        db.AfterCommit(() =>
        {
            if (payment.Status == PaymentStatus.Charged)
            {
                metrics.Charged(payment.Amount, payment.Currency);
            }
            else
            {
                metrics.Declined(payment.DeclineReason!);
            }
        });
        return Reply(payment);
    }

    /// <summary>The row that records the provider's answer (pure, so it is tested without a host).</summary>
    public static OrderPayment Record(ChargePayment command, ProviderCharge charge, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        OrderId = command.OrderId,
        CustomerId = command.CustomerId,
        Amount = command.Amount,
        Currency = command.Currency,
        Status = charge.Decision.Approved ? PaymentStatus.Charged : PaymentStatus.Declined,
        DeclineReason = charge.Decision.DeclineReason,
        ProviderReference = charge.Reference,
        CreatedAt = now,
        ChargedAt = charge.Decision.Approved ? now : null,
    };

    /// <summary>The saga's answer for a stored payment; the same whichever delivery asks.</summary>
    public static object Reply(OrderPayment payment) => payment.Status switch
    {
        PaymentStatus.Charged => new PaymentCharged(payment.OrderId, payment.Id, payment.Amount, payment.Currency),
        PaymentStatus.Declined => new PaymentDeclined(payment.OrderId, payment.DeclineReason ?? ChargeRules.CardDeclined),
        // A charge that arrives after its refund is a stale duplicate; the saga has moved on and ignores this.
        _ => new PaymentDeclined(payment.OrderId, AlreadyRefunded),
    };
}
