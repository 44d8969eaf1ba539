using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Shop.AppHost;

/// <summary>
/// Sees a starting resource become healthy within a fifth of a second. Aspire checks a resource that is not healthy
/// yet after 1, 2, 3, 4 and then every 5 s, so one that becomes ready just after a check waits up to 5 s to be seen,
/// and everything that <c>WaitFor</c>s it waits with it: start-up here has four such levels (servers, identity,
/// catalog, ordering, the gateway). Until the resource has been healthy once, its checks ask again every 200 ms for up
/// to a minute before they answer Unhealthy; after that, each check asks once, as Aspire's do, so a resource that
/// goes unhealthy later is reported as fast as before.
/// </summary>
internal static class ReadinessPolling
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    /// <summary>Applies to every health check the resource has been given so far (call it after them).</summary>
    public static IResourceBuilder<T> WithReadinessPolling<T>(this IResourceBuilder<T> builder) where T : IResource
    {
        var keys = builder.Resource.Annotations.OfType<HealthCheckAnnotation>().Select(a => a.Key).ToHashSet(StringComparer.Ordinal);
        var seenHealthy = new SeenHealthy();
        builder.ApplicationBuilder.Services.PostConfigure<HealthCheckServiceOptions>(options =>
        {
            foreach (var registration in options.Registrations.Where(r => keys.Contains(r.Name)))
            {
                var check = registration.Factory;
                // Aspire's HTTP checks have no time limit of their own.
                var perAttempt = registration.Timeout == Timeout.InfiniteTimeSpan ? TimeSpan.FromSeconds(5) : registration.Timeout;
                registration.Factory = services => new PollingCheck(check(services), perAttempt, Window, seenHealthy);
                registration.Timeout = Window + TimeSpan.FromSeconds(10);
            }
        });
        return builder;
    }

    internal sealed class SeenHealthy
    {
        public volatile bool Value;
    }

    internal sealed class PollingCheck(IHealthCheck inner, TimeSpan perAttempt, TimeSpan window, SeenHealthy seenHealthy) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var deadline = DateTime.UtcNow + (seenHealthy.Value ? TimeSpan.Zero : window);
            while (true)
            {
                var result = await AttemptAsync(context, cancellationToken);
                if (result.Status == HealthStatus.Healthy)
                {
                    seenHealthy.Value = true;
                    return result;
                }
                if (DateTime.UtcNow + Interval >= deadline)
                {
                    return result;
                }
                await Task.Delay(Interval, cancellationToken);
            }
        }

        // Each attempt keeps the time limit the check was registered with.
        private async Task<HealthCheckResult> AttemptAsync(HealthCheckContext context, CancellationToken cancellationToken)
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(perAttempt);
            try
            {
                return await inner.CheckHealthAsync(context, attempt.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, $"No answer within {perAttempt.TotalSeconds:F0} s.");
            }
        }
    }
}
