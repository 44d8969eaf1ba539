using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Shop.AppHost.Runtime;

/// <summary>Health polling, the start-up report, and the console messages of the orchestrator.</summary>
internal sealed partial class Orchestrator
{
    private async Task MonitorHealthAsync(ResourceRunner runner, Func<CancellationToken, Task<HealthCheckResult>> check, CancellationToken ct)
    {
        var name = runner.Resource.Name;
        ResourceHealthStatus? last = null;
        var runningSince = DateTimeOffset.UtcNow;
        var reportedSlowBoot = false;
        while (!ct.IsCancellationRequested)
        {
            HealthCheckResult result;
            try
            {
                result = await check(ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                result = HealthCheckResult.Unhealthy(ex.Message);
            }
            if (ct.IsCancellationRequested)
            {
                // The AppHost is stopping: a check cut short by that says nothing about the resource. The checks
                // catch their own timeouts, and with them this cancellation, as "Unhealthy"; reported, every resource
                // whose check was in flight at Ctrl+C showed as Unhealthy on the dashboard and in the console.
                return;
            }
            var status = result.Status == HealthStatus.Healthy ? ResourceHealthStatus.Healthy
                : result.Status == HealthStatus.Degraded ? ResourceHealthStatus.Degraded : ResourceHealthStatus.Unhealthy;
            var now = notifications.PublishUpdate(name, s => s.State != KnownResourceStates.Running ? s : s with
            {
                HealthStatus = status,
                HealthReports = [new HealthReportSnapshot(name, status, result.Description, DateTimeOffset.UtcNow)],
            });
            if (now.State != KnownResourceStates.Running)
            {
                return;
            }
            // Failing probes while a resource boots are expected: report a change once it was healthy, or a boot
            // that has not become healthy for a while (with the reason), not every first refusal.
            var booting = last is null && status != ResourceHealthStatus.Healthy;
            if (booting && !reportedSlowBoot && DateTimeOffset.UtcNow - runningSince > TimeSpan.FromSeconds(15))
            {
                LogHealth(_logger, name, status, $"for 15 s: {result.Description}");
                reportedSlowBoot = true;
            }
            else if (status != last && !booting)
            {
                LogHealth(_logger, name, status, status == ResourceHealthStatus.Healthy ? "" : $"({result.Description})");
                last = status;
            }
            // Poll fast until healthy so dependants start promptly, then at Aspire's pace.
            await Task.Delay(status == ResourceHealthStatus.Healthy ? TimeSpan.FromSeconds(5) : TimeSpan.FromMilliseconds(200), ct).ConfigureAwait(false);
        }
    }

    private async Task ReportWhenAllHealthyAsync(CancellationToken ct)
    {
        try
        {
            var started = DateTimeOffset.UtcNow;
            await foreach (var _ in notifications.WatchAsync(ct).ConfigureAwait(false))
            {
                var all = notifications.GetSnapshots();
                if (all.Any(s => KnownResourceStates.IsTerminal(s.State)))
                {
                    return;
                }
                if (all.All(s => s is { State: KnownResourceStates.Running, HealthStatus: ResourceHealthStatus.Healthy }))
                {
                    LogAllHealthy(_logger, all.Count, (DateTimeOffset.UtcNow - started).TotalSeconds);
                    // Internal endpoints first, so the public ones and the dashboard end the start-up report.
                    foreach (var (name, url) in all.SelectMany(s => s.Urls.Select(u => (s.Name, Url: u)))
                                 .Where(x => x.Url.Url.StartsWith("http", StringComparison.Ordinal)).OrderBy(x => !x.Url.IsInternal))
                    {
                        // A second endpoint is named (catalog/grpc), so "catalog" keeps meaning the http one.
                        LogEndpoint(_logger, url.Name is "http" or "https" ? name : $"{name}/{url.Name}",
                            url.IsInternal ? url.Url : url.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal),
                            url.IsInternal ? " (internal)" : "");
                    }
                    if (DashboardLoginUrl is { } login)
                    {
                        LogDashboard(_logger, login);
                    }
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(LogLevel.Information, "Starting the app model; state in {StateDirectory}")]
    private static partial void LogStarting(ILogger logger, string stateDirectory);

    [LoggerMessage(LogLevel.Information, "{Resource}: {State} {Detail}")]
    private static partial void LogState(ILogger logger, string resource, string state, string detail);

    [LoggerMessage(LogLevel.Information, "{Resource}: {Health} {Detail}")]
    private static partial void LogHealth(ILogger logger, string resource, ResourceHealthStatus health, string detail);

    [LoggerMessage(LogLevel.Error, "{Resource}: {State}: {Reason}")]
    private static partial void LogFailed(ILogger logger, string resource, string state, string reason);

    [LoggerMessage(LogLevel.Information, "All {Count} resources are running and healthy ({Seconds:F1} s).")]
    private static partial void LogAllHealthy(ILogger logger, int count, double seconds);

    [LoggerMessage(LogLevel.Information, "Endpoint {Resource}: {Url}{Scope}")]
    private static partial void LogEndpoint(ILogger logger, string resource, string url, string scope);

    [LoggerMessage(LogLevel.Information, "Dashboard: {Url}")]
    private static partial void LogDashboard(ILogger logger, string url);

    [LoggerMessage(LogLevel.Information, "Stopping resources in reverse dependency order...")]
    private static partial void LogStopping(ILogger logger);

    [LoggerMessage(LogLevel.Information, "All resources stopped.")]
    private static partial void LogStopped(ILogger logger);
}
