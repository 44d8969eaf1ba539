using Shop.Payment.Provider;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace Shop.Payment.Messaging;

/// <summary>
/// A provider that is down or saturated recovers in seconds, not in the milliseconds the service-wide retries cover:
/// after quick retries the message is scheduled again further out, so a brief outage delays payments instead of
/// dead-lettering them. Nothing was charged or refunded when this exception is thrown, so trying again is safe.
/// </summary>
internal static class ProviderRetryPolicy
{
    public static void Apply(HandlerChain chain) =>
        chain.OnException<PaymentProviderUnavailableException>()
            .RetryWithCooldown(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1))
            .Then.ScheduleRetry(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30))
            .Then.MoveToErrorQueue();
}
