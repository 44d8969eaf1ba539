using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace Shop.ServiceDefaults.Messaging;

/// <summary>
/// For a handler that calls a third party (the payment provider, the carrier): one that is down or saturated recovers
/// in seconds, not in the milliseconds the service-wide retries cover, so after quick retries the message is scheduled
/// again further out, and a brief outage delays the work instead of dead-lettering it. Only for an exception that
/// means nothing was done on the other side, so that trying again is safe.
/// </summary>
public static class OutageRetries
{
    public static void Apply<TUnavailable>(HandlerChain chain) where TUnavailable : Exception =>
        chain.OnException<TUnavailable>()
            .RetryWithCooldown(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1))
            .Then.ScheduleRetry(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30))
            .Then.MoveToErrorQueue();
}
