using Microsoft.Extensions.Diagnostics.HealthChecks;
using Shop.AppHost;

namespace Shop.Tests.Runtime;

/// <summary>The AppHost's readiness polling, against a check that answers as told. Starts nothing.</summary>
public sealed class ReadinessPollingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly HealthCheckContext Context = new()
    {
        Registration = new HealthCheckRegistration("test", _ => null!, HealthStatus.Unhealthy, tags: null),
    };

    [Fact]
    public async Task a_starting_resource_is_asked_again_until_it_answers_healthy()
    {
        var inner = new ScriptedCheck(unhealthyAnswers: 3);
        var check = new ReadinessPolling.PollingCheck(inner, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), new ReadinessPolling.SeenHealthy());

        var result = await check.CheckHealthAsync(Context, Ct);

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal(4, inner.Calls);
    }

    [Fact]
    public async Task once_healthy_a_check_asks_once_so_a_later_outage_is_reported_at_once()
    {
        var seen = new ReadinessPolling.SeenHealthy();
        await new ReadinessPolling.PollingCheck(new ScriptedCheck(unhealthyAnswers: 0), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), seen)
            .CheckHealthAsync(Context, Ct);
        var down = new ScriptedCheck(unhealthyAnswers: int.MaxValue);

        var result = await new ReadinessPolling.PollingCheck(down, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), seen)
            .CheckHealthAsync(Context, Ct);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal(1, down.Calls);
    }

    [Fact]
    public async Task a_resource_that_never_gets_ready_is_unhealthy_when_the_window_ends()
    {
        var down = new ScriptedCheck(unhealthyAnswers: int.MaxValue);
        var check = new ReadinessPolling.PollingCheck(down, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), new ReadinessPolling.SeenHealthy());

        var result = await check.CheckHealthAsync(Context, Ct);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.InRange(down.Calls, 2, 6);
    }

    [Fact]
    public async Task an_attempt_that_hangs_counts_as_unhealthy_after_its_own_time_limit()
    {
        var check = new ReadinessPolling.PollingCheck(new HangingCheck(), TimeSpan.FromMilliseconds(100), TimeSpan.Zero, new ReadinessPolling.SeenHealthy());

        var result = await check.CheckHealthAsync(Context, Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
    }

    private sealed class ScriptedCheck(int unhealthyAnswers) : IHealthCheck
    {
        public int Calls { get; private set; }

        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(++Calls > unhealthyAnswers ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("not yet"));
    }

    private sealed class HangingCheck : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return HealthCheckResult.Healthy();
        }
    }
}
