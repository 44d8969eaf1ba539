using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Shop.Tests;

/// <summary>What a test's own instance of Shop needs that Aspire's testing builder does not give it.</summary>
internal static class TestState
{
    /// <summary>A state directory of its own (under /tmp, which PostgreSQL's system user can reach).</summary>
    public static string NewDirectory() => Path.Combine(Path.GetTempPath(), $"shop-test-{Guid.NewGuid():N}"[..22]);

    public static string[] Args(string stateDirectory) => [$"--{Shop.AppHost.Servers.ServerState.ConfigurationKey}={stateDirectory}"];

    /// <summary>
    /// Without the dashboard, Aspire logs every failed health check to the console (each resource is checked while it
    /// starts and while it stops: hundreds a run) and copies every line of every resource's console into the test's
    /// output (tens of thousands); a failing test reports the states and log lines it needs itself. What a resource
    /// writes to stderr still shows.
    /// </summary>
    public static T WithQuietLogs<T>(this T builder) where T : IDistributedApplicationTestingBuilder
    {
        builder.Services.AddLogging(logging => logging
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService", LogLevel.None)
            .AddFilter("Shop.AppHost.Resources", LogLevel.Warning));
        return builder;
    }

    public static void Delete(string stateDirectory)
    {
        if (Directory.Exists(stateDirectory))
        {
            Directory.Delete(stateDirectory, recursive: true);
        }
    }

    /// <summary>The latest event of every replica of every visible resource (the watch replays them first).</summary>
    public static async Task<IReadOnlyList<ResourceEvent>> SnapshotsAsync(this DistributedApplication app, CancellationToken ct)
    {
        var latest = new Dictionary<string, ResourceEvent>(StringComparer.Ordinal);
        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(ct);
        quiet.CancelAfter(TimeSpan.FromMilliseconds(500));
        try
        {
            await foreach (var e in app.ResourceNotifications.WatchAsync(quiet.Token))
            {
                latest[e.ResourceId] = e;
                quiet.CancelAfter(TimeSpan.FromMilliseconds(300));
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
        }
        return [.. latest.Values.Where(e => !e.Snapshot.IsHidden)];
    }

    /// <summary>The process ids of a resource's replicas, as DCP reports them (the process it started).</summary>
    public static async Task<IReadOnlyList<int>> ProcessIdsOfAsync(this DistributedApplication app, string resourceName, CancellationToken ct = default)
        => [.. (await app.SnapshotsAsync(ct)).Where(e => e.Resource.Name == resourceName)
            .Select(e => e.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value)
            .Where(pid => pid is not null)
            .Select(pid => Convert.ToInt32(pid, CultureInfo.InvariantCulture))];

    /// <summary>What a resource has written to its console so far.</summary>
    public static async Task<IReadOnlyList<string>> LogLinesAsync(this DistributedApplication app, string resourceName, CancellationToken ct = default)
    {
        var ids = (await app.SnapshotsAsync(ct)).Where(e => e.Resource.Name == resourceName).Select(e => e.ResourceId).ToList();
        var lines = new List<string>();
        var logs = app.Services.GetRequiredService<ResourceLoggerService>();
        foreach (var id in ids)
        {
            using var quiet = CancellationTokenSource.CreateLinkedTokenSource(ct);
            quiet.CancelAfter(TimeSpan.FromSeconds(2));
            try
            {
                await foreach (var batch in logs.WatchAsync(id).WithCancellation(quiet.Token))
                {
                    lines.AddRange(batch.Select(l => l.Content));
                    quiet.CancelAfter(TimeSpan.FromMilliseconds(500));
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
            }
        }
        return lines;
    }
}

/// <summary>An app model of a test's own, with servers of its own in a state directory removed when the app stops.</summary>
internal static class TestApps
{
    /// <summary>
    /// The testing builder gives CreateHttpClient's clients the standard resilience pipeline, which retries a 503 and
    /// gives up after 30 s: a test that checks how a service answers must see its first answer, as the shared
    /// system's tests do (CreateAsync adds no pipeline).
    /// </summary>
    private const string PlainHttpClients = "--ASPIRE_TESTING_DISABLE_HTTP_CLIENT=true";

    public static IDistributedApplicationTestingBuilder CreateBuilder()
    {
        var state = TestState.NewDirectory();
        // Aspire's Create(args) finds the AppHost (where DCP's path is recorded) by walking the caller's stack, which
        // here holds only the test assembly; its overload that takes the AppHost's assembly is internal.
        var create = typeof(DistributedApplicationTestingBuilder).GetMethod("Create", global::System.Reflection.BindingFlags.NonPublic | global::System.Reflection.BindingFlags.Static,
            [typeof(string[]), typeof(Action<DistributedApplicationOptions, Microsoft.Extensions.Hosting.HostApplicationBuilderSettings>), typeof(global::System.Reflection.Assembly)])
            ?? throw new InvalidOperationException("Aspire.Hosting.Testing no longer has Create(args, configure, appHostAssembly).");
        var builder = ((IDistributedApplicationTestingBuilder)create.Invoke(null,
            [(string[])[.. TestState.Args(state), PlainHttpClients], (Action<DistributedApplicationOptions, Microsoft.Extensions.Hosting.HostApplicationBuilderSettings>)((_, _) => { }), typeof(Projects.Shop_AppHost).Assembly])!)
            .WithQuietLogs();
        builder.Services.AddHttpClient();
        // Removed when the app's services are disposed (DisposeAsync does not stop the host: no ApplicationStopped). Made
        // before the host starts the orchestrator, so disposed after it, once DCP has ended the servers.
        builder.Services.AddSingleton(_ => new StateDirectoryCleanup(state)); // a factory: DI disposes only what it creates
        builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
        {
            e.Services.GetRequiredService<StateDirectoryCleanup>();
            return Task.CompletedTask;
        });
        return builder;
    }

    public static string State(this IDistributedApplicationBuilder builder)
        => builder.Configuration[Shop.AppHost.Servers.ServerState.ConfigurationKey] ?? throw new InvalidOperationException("Not a test's builder.");
}

/// <summary>Deletes a test app's state directory when the app's services are disposed.</summary>
internal sealed class StateDirectoryCleanup(string directory) : IDisposable
{
    public void Dispose() => TestState.Delete(directory);
}
