using Microsoft.EntityFrameworkCore;
using Shop.Contracts;
using Shop.Payment.Data;
using Shop.Payment.Provider;
using Shop.ServiceDefaults.Messaging;
using Wolverine.Runtime.Handlers;

namespace Shop.Payment.Messaging;

/// <summary>
/// <c>RefundPayment</c>, the saga's compensation: gives back what was charged, once. Always answers
/// <c>PaymentRefunded</c> with what went back, 0 when nothing was charged (declined, never charged, or refunded
/// already), so compensation can always finish and money is never returned twice.
/// </summary>
public static partial class RefundPaymentHandler
{
    /// <summary>ISO 4217's code for "no currency involved": the answer's currency when the order was never charged.</summary>
    public const string NoCurrency = "XXX";

    public static void Configure(HandlerChain chain) => OutageRetries.Apply<PaymentProviderUnavailableException>(chain);

    public static async Task<PaymentRefunded> Handle(
        RefundPayment command, PaymentDbContext db, PaymentProvider provider, PaymentMetrics metrics, TimeProvider clock,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        await db.LockOrderAsync(command.OrderId, cancellationToken);
        var payment = await db.Payments.SingleOrDefaultAsync(p => p.OrderId == command.OrderId, cancellationToken);
        if (payment is null)
        {
            return new PaymentRefunded(command.OrderId, 0m, NoCurrency);
        }

        if (payment.Status == PaymentStatus.Charged)
        {
            // The provider first: if it fails, the row still says Charged and the retry refunds. A commit that fails after
            // the provider call repeats the call on retry; a real provider would take the charge reference as its
            // idempotency key, which is why it is passed.
            await provider.RefundAsync(payment.ProviderReference!, payment.Amount, cancellationToken);
        }
        var refunded = payment.Refund(clock.GetUtcNow());
        if (refunded > 0)
        {
            LogRefunded(loggers.CreateLogger(typeof(RefundPaymentHandler)), command.OrderId, refunded, payment.Currency, command.Reason);
            db.AfterCommit(() => metrics.Refunded(refunded, payment.Currency));
        }
        return new PaymentRefunded(command.OrderId, refunded, payment.Currency);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: refunded {Amount} {Currency} ({Reason})")]
    private static partial void LogRefunded(ILogger logger, Guid orderId, decimal amount, string currency, string reason);
}
