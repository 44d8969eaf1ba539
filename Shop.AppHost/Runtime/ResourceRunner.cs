using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Shop.AppHost.Runtime;

/// <summary>What every runner is handed: where to report state and output, and the machine-level services.</summary>
internal sealed record RunnerContext(
    ResourceNotificationService Notifications,
    ResourceLoggerService Logs,
    RuntimeOptions Options,
    PackageInstaller Installer,
    ProcessRegistry Processes,
    DistributedApplicationExecutionContext ExecutionContext,
    ILogger Console);

/// <summary>Starts, watches and stops one resource of one kind. State and health go through <see cref="RunnerContext.Notifications"/>.</summary>
internal abstract class ResourceRunner(IResource resource, RunnerContext context)
{
    public IResource Resource { get; } = resource;
    protected RunnerContext Context { get; } = context;
    protected string Name => Resource.Name;

    /// <summary>Allocates ports before anything starts, so connection strings and service URLs can be handed out.</summary>
    public virtual void AllocateEndpoints()
    {
    }

    /// <summary>Starts the resource; returns once it is Running (health follows).</summary>
    public abstract Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Stops the resource gracefully, or kills it when it does not stop in time.</summary>
    public abstract Task StopAsync();

    /// <summary>The resource's health check, or null when Running means Healthy.</summary>
    public virtual Func<CancellationToken, Task<HealthCheckResult>>? HealthCheck => null;

    public virtual IEnumerable<int> ProcessIds => [];

    /// <summary>Set once the AppHost stops the resource: an exit from then on is expected, not a failure.</summary>
    public bool IsStopping { get; private set; }

    public Task StopResourceAsync()
    {
        IsStopping = true;
        return StopAsync();
    }

    /// <summary>Before a stopped resource is started again: its next exit is unexpected again.</summary>
    public void PrepareRestart()
    {
        Interlocked.Increment(ref _launch);
        IsStopping = false;
    }

    private int _launch;

    /// <summary>
    /// Which launch a process belongs to. An exit reported late (the old process of a restart) carries an older launch
    /// and is ignored, instead of being taken for a crash of the new one.
    /// </summary>
    protected int CurrentLaunch => Volatile.Read(ref _launch);

    protected bool IsExpectedExit(int launch) => IsStopping || launch != CurrentLaunch;

    /// <summary>Releases what outlives a stop (the proxies that keep a project's address), when the app shuts down.</summary>
    public virtual ValueTask ReleaseAsync() => ValueTask.CompletedTask;

    /// <summary>An exit the AppHost did not ask for ends the resource as Exited, with its exit code and last output. No restart.</summary>
    protected void WatchForExit(ManagedProcess process, string? what = null)
    {
        var launch = CurrentLaunch;
        _ = process.Exited.ContinueWith(t =>
        {
            if (IsExpectedExit(launch))
            {
                return;
            }
            var code = t.Result;
            var lines = LastLines();
            Publish(s => s with
            {
                State = KnownResourceStates.Exited,
                ExitCode = code,
                HealthStatus = null,
                StopTimeStamp = DateTimeOffset.UtcNow,
                StateDescription = $"{what ?? "process"} {process.ProcessId} exited with code {code}. Last output:{Environment.NewLine}{lines}",
            });
            Context.Console.LogError("{Resource}: {What} exited unexpectedly with code {Code}. Last output:{NewLine}{Lines}", Name, what ?? "process", code, Environment.NewLine, lines);
        }, TaskScheduler.Default);
    }

    protected ResourceSnapshot Publish(Func<ResourceSnapshot, ResourceSnapshot> update) => Context.Notifications.PublishUpdate(Name, update);

    protected void Log(string line, bool isError = false) => Context.Logs.Write(Name, line, isError);

    /// <summary>A line for the AppHost console and the resource's log (install progress, decisions).</summary>
    protected void Progress(string message) => Progress(message, true);

    /// <summary>Every line goes to the resource's log; <paramref name="toConsole"/> ones to the console too.</summary>
    protected void Progress(string message, bool toConsole)
    {
        Log(message);
        if (toConsole)
        {
            Context.Console.LogInformation("{Resource}: {Message}", Name, message);
        }
    }

    protected string LastLines(int count = 12)
        => string.Join(Environment.NewLine, Context.Logs.GetTail(Name, count).Select(l => l.Content));

    /// <summary>Starts a child process of this resource: output to its log, pid remembered for clean-up after a crash.</summary>
    protected ManagedProcess StartProcess(string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment, string? workingDirectory,
        Action<string, bool>? onLine = null)
        => ManagedProcess.Start(fileName, args, environment, workingDirectory, onLine ?? ((l, e) => Log(l, e)), pid => Context.Processes.Add(pid, Name));

    protected string StateDirectoryFor(string leaf) => Path.Combine(Context.Options.StateDirectory, leaf);

    /// <summary>The resource's own data directory, created readable by its owner only (it holds configs with passwords).</summary>
    protected string CreatePrivateDirectory(string leaf)
    {
        var dir = StateDirectoryFor(leaf);
        Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return dir;
    }

    protected static int AllocatePort(EndpointAnnotation endpoint, bool randomize)
        => !randomize && endpoint.Port is { } fixedPort ? fixedPort : PortAllocator.GetFreePort();
}
