using Shop.Shipping.Carrier;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace Shop.Shipping.Messaging;

/// <summary>
/// A carrier that is down recovers in seconds, not in the milliseconds the service-wide retries cover: after quick
/// retries the message is scheduled again further out, so a brief outage delays shipments instead of dead-lettering
/// them. Nothing was booked or cancelled when this exception is thrown, so trying again is safe.
/// </summary>
internal static class CarrierRetryPolicy
{
    public static void Apply(HandlerChain chain) =>
        chain.OnException<CarrierUnavailableException>()
            .RetryWithCooldown(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1))
            .Then.ScheduleRetry(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30))
            .Then.MoveToErrorQueue();
}
