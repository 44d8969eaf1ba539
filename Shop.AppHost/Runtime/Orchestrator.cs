using Shop.AppHost.Dashboard.Telemetry;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shop.AppHost.Runtime.Projects;
using Shop.AppHost.Runtime.Servers;

namespace Shop.AppHost.Runtime;

/// <summary>
/// Runs the app model on this machine: every resource starts as soon as what it waits for is Running and Healthy
/// (independent ones in parallel), health is polled, and on stop resources go down in reverse dependency order.
/// A resource whose dependency ends instead of becoming healthy fails to start: nothing hangs, nothing restarts.
/// </summary>
internal sealed partial class Orchestrator(
    StartupPlan plan,
    ResourceNotificationService notifications,
    ResourceLoggerService logs,
    RuntimeOptions options,
    DistributedApplicationExecutionContext executionContext,
    ILoggerFactory loggerFactory,
    TelemetryRepository telemetry) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("Shop.AppHost");
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<IResource, ResourceRunner> _runners = [];
    private readonly Dictionary<ResourceRunner, (Task Task, CancellationTokenSource Cts)> _lifecycles = [];
    private readonly SemaphoreSlim _commands = new(1, 1);
    private readonly ProcessRegistry _processes = new(options.StateDirectory);
    private DashboardRunner? _dashboard;
    private int _stopped;

    /// <summary>The dashboard's login URL once it runs (null when disabled).</summary>
    public string? DashboardLoginUrl => _dashboard?.LoginUrl;

    public IEnumerable<int> ProcessIds => _runners.Values.SelectMany(r => r.ProcessIds);

    /// <summary>The processes of one resource (its replicas), for tests that check what a command did.</summary>
    public IEnumerable<int> ProcessIdsOf(string resourceName)
        => _runners.Values.Where(r => r.Resource.Name == resourceName).SelectMany(r => r.ProcessIds);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (executionContext.IsPublishMode)
        {
            return;
        }
        StateDirectory.Ensure(options.StateDirectory);
        _processes.StopLeftovers(_logger);
        var context = new RunnerContext(notifications, logs, options, new PackageInstaller(options), _processes, executionContext, _logger);
        var created = DateTimeOffset.UtcNow;
        foreach (var resource in plan.StartOrder)
        {
            var runner = CreateRunner(resource, context);
            if (runner is null)
            {
                continue;
            }
            _runners[resource] = runner;
            notifications.Register(new ResourceSnapshot
            {
                Name = resource.Name,
                ResourceType = (resource as Resource)?.ResourceType ?? resource.GetType().Name,
                State = KnownResourceStates.NotStarted,
                CreationTimeStamp = created = created.AddTicks(1),
                WaitsFor = [.. plan.Dependencies[resource].Select(d => d.Name)],
            });
        }
        LogStarting(_logger, options.StateDirectory);

        foreach (var runner in _runners.Values)
        {
            try
            {
                runner.AllocateEndpoints();
            }
            catch (Exception ex) when (ex is InvalidOperationException or DistributedApplicationException)
            {
                Fail(runner, KnownResourceStates.FailedToStart, ex.Message);
            }
            var urls = runner.Resource.Annotations.OfType<EndpointAnnotation>().Where(e => e.AllocatedEndpoint is not null)
                .Select(e => new UrlSnapshot(e.Name, e.AllocatedEndpoint!.UriString, !e.IsExternal)).ToArray();
            notifications.PublishUpdate(runner.Resource.Name, s => s with { Urls = [.. urls] });
        }

        if (options.DashboardEnabled)
        {
            _dashboard = new DashboardRunner(options, notifications, logs, new ResourceCommandService(this), telemetry, _logger);
            await _dashboard.StartAsync(cancellationToken).ConfigureAwait(false);
            // Projects export their telemetry to it (as Aspire: OTEL_EXPORTER_OTLP_* only when a dashboard listens).
            foreach (var project in _runners.Values.OfType<ProjectRunner>())
            {
                project.Otlp = _dashboard.Otlp;
            }
        }

        foreach (var runner in _runners.Values)
        {
            Launch(runner);
        }
        _ = ReportWhenAllHealthyAsync(_stopping.Token);
    }

    private static ResourceRunner? CreateRunner(IResource resource, RunnerContext context) => resource switch
    {
        PostgresServerResource pg => new PostgresRunner(pg, context),
        PostgresDatabaseResource db => new PostgresDatabaseRunner(db, context),
        RedisResource redis => new RedisRunner(redis, context),
        RabbitMQServerResource rabbit => new RabbitMQRunner(rabbit, context),
        ProjectResource project => new ProjectRunner(project, context),
        _ => null, // parameters and other values have no process
    };

    private async Task RunAsync(ResourceRunner runner, CancellationToken ct)
    {
        var name = runner.Resource.Name;
        if (!notifications.TryGetCurrentState(name, out var initial) || KnownResourceStates.IsTerminal(initial.State))
        {
            return;
        }
        try
        {
            var waits = WaitsOf(runner.Resource).ToList();
            if (waits.Count > 0)
            {
                var names = string.Join(", ", waits.Select(w => w.Resource.Name));
                notifications.PublishUpdate(name, s => s with { State = KnownResourceStates.Waiting, StateDescription = $"waiting for {names}" });
                LogState(_logger, name, KnownResourceStates.Waiting, $"for {names}");
                await Task.WhenAll(waits.Select(w => WaitForDependencyAsync(w, ct))).ConfigureAwait(false);
            }

            notifications.PublishUpdate(name, s => s with { State = KnownResourceStates.Starting, StateDescription = null });
            LogState(_logger, name, KnownResourceStates.Starting, "");
            await runner.StartAsync(ct).ConfigureAwait(false);
            var health = runner.HealthCheck is null ? ResourceHealthStatus.Healthy : ResourceHealthStatus.Unhealthy;
            var now = notifications.PublishUpdate(name, s => s.State == KnownResourceStates.Starting
                ? s with { State = KnownResourceStates.Running, StartTimeStamp = DateTimeOffset.UtcNow, HealthStatus = health }
                : s);
            if (now.State != KnownResourceStates.Running)
            {
                return;
            }
            LogState(_logger, name, KnownResourceStates.Running, runner.HealthCheck is null ? "" : "(waiting for healthy)");
            if (runner.HealthCheck is { } check)
            {
                await MonitorHealthAsync(runner, check, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (DependencyFailedException ex)
        {
            Fail(runner, KnownResourceStates.FailedToStart, ex.Message);
        }
        catch (Exception ex)
        {
            Fail(runner, KnownResourceStates.FailedToStart, ex.Message);
        }
    }

    private static IEnumerable<WaitAnnotation> WaitsOf(IResource resource)
    {
        var waits = resource.Annotations.OfType<WaitAnnotation>().ToList();
        if (resource is IResourceWithParent p && waits.All(w => w.Resource != p.Parent))
        {
            waits.Insert(0, new WaitAnnotation(p.Parent, WaitType.WaitUntilHealthy));
        }
        return waits;
    }

    private async Task WaitForDependencyAsync(WaitAnnotation wait, CancellationToken ct)
    {
        var dep = wait.Resource.Name;
        if (!_runners.ContainsKey(wait.Resource))
        {
            return; // parameters are always available
        }
        var evt = await notifications.WaitForResourceAsync(dep, e => wait.WaitType switch
        {
            WaitType.WaitUntilHealthy => e.Snapshot is { State: KnownResourceStates.Running, HealthStatus: ResourceHealthStatus.Healthy } || KnownResourceStates.IsTerminal(e.Snapshot.State),
            WaitType.WaitUntilStarted => e.Snapshot.State == KnownResourceStates.Running || KnownResourceStates.IsTerminal(e.Snapshot.State),
            _ => KnownResourceStates.IsTerminal(e.Snapshot.State),
        }, ct).ConfigureAwait(false);
        var s = evt.Snapshot;
        var ok = wait.WaitType == WaitType.WaitForCompletion
            ? s.State is KnownResourceStates.Exited or KnownResourceStates.Finished && s.ExitCode == wait.ExitCode
            : !KnownResourceStates.IsTerminal(s.State);
        if (!ok)
        {
            throw new DependencyFailedException($"dependency '{dep}' is {s.State}{(s.ExitCode is { } c ? $" (exit code {c})" : "")}");
        }
    }

    private void Fail(ResourceRunner runner, string state, string reason)
    {
        notifications.PublishUpdate(runner.Resource.Name, s => KnownResourceStates.IsTerminal(s.State) ? s : s with
        {
            State = state,
            HealthStatus = null,
            StopTimeStamp = DateTimeOffset.UtcNow,
            StateDescription = reason,
        });
        logs.Write(runner.Resource.Name, $"{state}: {reason}", isError: true);
        LogFailed(_logger, runner.Resource.Name, state, reason);
    }

    private void Launch(ResourceRunner runner)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        _lifecycles[runner] = (Task.Run(() => RunAsync(runner, cts.Token), CancellationToken.None), cts);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_lifecycles.Values.Select(l => l.Task)).ConfigureAwait(false);
        LogStopping(_logger);
        foreach (var level in plan.Levels.Reverse())
        {
            await Task.WhenAll(level.Where(_runners.ContainsKey).Select(r => StopOneAsync(_runners[r]))).ConfigureAwait(false);
        }
        foreach (var runner in _runners.Values)
        {
            await runner.ReleaseAsync().ConfigureAwait(false);
        }
        if (_dashboard is not null)
        {
            await _dashboard.DisposeAsync().ConfigureAwait(false);
        }
        _processes.Clear();
        if (options.DeleteStateOnDispose && Directory.Exists(options.StateDirectory))
        {
            Directory.Delete(options.StateDirectory, recursive: true);
        }
        LogStopped(_logger);
    }

    private async Task StopOneAsync(ResourceRunner runner)
    {
        var name = runner.Resource.Name;
        var before = notifications.PublishUpdate(name, s => KnownResourceStates.IsTerminal(s.State) || s.State == KnownResourceStates.NotStarted ? s
            : s with { State = KnownResourceStates.Stopping, HealthStatus = null });
        try
        {
            await runner.StopResourceAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "{Resource}: stop failed", name);
        }
        if (before.State == KnownResourceStates.Stopping)
        {
            notifications.PublishUpdate(name, s => s with { State = KnownResourceStates.Exited, StopTimeStamp = DateTimeOffset.UtcNow, StateDescription = "stopped" });
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private sealed class DependencyFailedException(string message) : Exception(message);
}
