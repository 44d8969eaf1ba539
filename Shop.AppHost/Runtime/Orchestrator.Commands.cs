using Aspire.Hosting.ApplicationModel;

namespace Shop.AppHost.Runtime;

/// <summary>Resource commands: stop one resource, start it again (behind the same addresses), as the dashboard's buttons do.</summary>
internal sealed partial class Orchestrator
{
    /// <summary>The "stop" command: the resource stops (dependants are left as they are) and shows Exited.</summary>
    public async Task StopResourceAsync(string name, CancellationToken ct)
    {
        var runner = RunnerFor(name);
        await _commands.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var (task, cts) = _lifecycles[runner];
            await cts.CancelAsync().ConfigureAwait(false);
            await task.ConfigureAwait(false);
            await StopOneAsync(runner).ConfigureAwait(false);
            notifications.PublishUpdate(name, s => s with { HealthStatus = null, StateDescription = "stopped by command" });
            LogState(_logger, name, KnownResourceStates.Exited, "(stopped by command)");
        }
        finally
        {
            _commands.Release();
        }
    }

    /// <summary>The "start" command: a stopped or ended resource starts again, behind the same addresses.</summary>
    public async Task StartResourceAsync(string name, CancellationToken ct)
    {
        var runner = RunnerFor(name);
        await _commands.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (!notifications.TryGetCurrentState(name, out var now) || !KnownResourceStates.IsTerminal(now.State))
            {
                throw new InvalidOperationException($"Resource '{name}' is {now?.State}; only a stopped or ended resource can be started.");
            }
            runner.PrepareRestart();
            notifications.PublishUpdate(name, s => s with
            {
                State = KnownResourceStates.NotStarted, ExitCode = null, StopTimeStamp = null, StateDescription = null, HealthReports = [],
            });
            Launch(runner);
        }
        finally
        {
            _commands.Release();
        }
    }

    private ResourceRunner RunnerFor(string name)
        => _runners.Values.SingleOrDefault(r => r.Resource.Name == name)
           ?? throw new ArgumentException($"There is no resource named '{name}' that can be started or stopped.", nameof(name));
}
