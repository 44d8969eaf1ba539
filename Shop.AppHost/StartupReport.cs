using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Shop.AppHost;

/// <summary>
/// The console's account of a start: one line when every resource is running and healthy (time taken, the gateway,
/// the dashboard's login link), or, when a resource fails before that (a server that cannot be installed or exits at
/// once), its name and state, and the AppHost stops with exit code 1 instead of waiting forever for it.
/// </summary>
internal sealed partial class StartupReport(
    DistributedApplicationModel model,
    ResourceNotificationService notifications,
    IHostApplicationLifetime lifetime,
    IConfiguration configuration,
    ILogger<StartupReport> logger)
{
    private static readonly string[] FailedStates = [KnownResourceStates.FailedToStart, KnownResourceStates.Exited, KnownResourceStates.Finished];

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var clock = Stopwatch.StartNew();
        var expected = model.Resources.Where(r => r is not IResourceWithoutLifetime).Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var ready = new HashSet<string>(StringComparer.Ordinal);
        var last = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            await foreach (var e in notifications.WatchAsync(stoppingToken).ConfigureAwait(false))
            {
                var name = e.Snapshot.IsHidden ? null : e.Resource.Name;
                if (name is null || !expected.Contains(name))
                {
                    if (e.Snapshot.IsHidden && expected.Remove(e.Resource.Name))
                    {
                        ready.Remove(e.Resource.Name);
                    }
                    continue;
                }
                var state = e.Snapshot.State?.Text;
                var health = e.Snapshot.HealthStatus?.ToString() ?? "";
                var shown = $"{state} {health}".Trim();
                if (state is not null && last.GetValueOrDefault(name) != shown)
                {
                    last[name] = shown;
                    LogState(logger, name, shown);
                }
                if (state is not null && FailedStates.Contains(state))
                {
                    LogFailed(logger, name, state, e.Snapshot.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none");
                    Environment.ExitCode = 1;
                    lifetime.StopApplication();
                    return;
                }
                if (state == KnownResourceStates.Running && e.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy)
                {
                    ready.Add(name);
                }
                if (ready.Count == expected.Count)
                {
                    var gateway = model.Resources.OfType<ProjectResource>().FirstOrDefault(r => r.Name == "gateway")?.GetEndpoint("http");
                    var dashboard = configuration["ASPNETCORE_URLS"] is { Length: > 0 } urls && configuration["AppHost:BrowserToken"] is { Length: > 0 } token
                        ? $"{urls.Split(';')[0].TrimEnd('/')}/login?t={token}"
                        : "not running";
                    LogReady(logger, clock.Elapsed.TotalSeconds, gateway is { IsAllocated: true } ? gateway.Url : "none", dashboard);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Resource}: {State}")]
    private static partial void LogState(ILogger logger, string resource, string state);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shop is up: every resource is running and healthy after {Seconds:0.0} s. Gateway: {Gateway}  Dashboard: {Dashboard}")]
    private static partial void LogReady(ILogger logger, double seconds, string gateway, string dashboard);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Resource} did not start ({State}, exit code {ExitCode}); its console log on the dashboard says why. Stopping.")]
    private static partial void LogFailed(ILogger logger, string resource, string state, string exitCode);
}

internal static class StartupReportExtensions
{
    public static IDistributedApplicationBuilder AddStartupReport(this IDistributedApplicationBuilder builder)
    {
        if (builder.ExecutionContext.IsRunMode)
        {
            // Started before the resources are: the AppHost's host does not finish starting while a resource waits.
            builder.Eventing.Subscribe<BeforeStartEvent>((e, ct) =>
            {
                var lifetime = e.Services.GetRequiredService<IHostApplicationLifetime>();
                _ = ActivatorUtilities.CreateInstance<StartupReport>(e.Services).RunAsync(lifetime.ApplicationStopping);
                return Task.CompletedTask;
            });
        }
        return builder;
    }
}
