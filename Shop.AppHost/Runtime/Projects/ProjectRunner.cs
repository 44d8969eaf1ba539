using System.Collections.Immutable;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Shop.AppHost.Runtime.Projects;

/// <summary>
/// Runs a project from its build output (dotnet {TargetPath}), one process per replica on its own port, behind one
/// proxy per endpoint on the endpoint's stable port. Health is the worst of the replicas' HTTP health checks.
/// </summary>
internal sealed class ProjectRunner(ProjectResource resource, RunnerContext context) : ResourceRunner(resource, context)
{
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(3) };
    private readonly List<TcpProxy> _proxies = [];
    private readonly List<(string Id, ManagedProcess Process, Dictionary<string, int> Ports)> _replicas = [];
    private bool _proxiesStarted;

    /// <summary>The dashboard's OTLP receiver, set once it listens; null: the processes get no exporter settings.</summary>
    public OtlpTarget? Otlp { get; set; }

    private IEnumerable<EndpointAnnotation> Endpoints => resource.Annotations.OfType<EndpointAnnotation>();

    public override IEnumerable<int> ProcessIds => _replicas.Select(r => r.Process.ProcessId);

    public override void AllocateEndpoints()
    {
        foreach (var ep in Endpoints)
        {
            if (!ep.IsProxied && resource.Replicas > 1)
            {
                throw new DistributedApplicationException($"Resource '{Name}' has {resource.Replicas} replicas, so its endpoint '{ep.Name}' must be proxied.");
            }
            // The proxy binds now: a fixed port that is taken fails here, clearly, before anything starts.
            var port = AllocatePort(ep, Context.Options.RandomizePorts);
            if (ep.IsProxied)
            {
                var proxy = new TcpProxy(port, Context.Console);
                _proxies.Add(proxy);
                port = proxy.Port;
            }
            ep.AllocatedEndpoint = new AllocatedEndpoint(ep, "127.0.0.1", port);
        }
    }

    public override async Task StartAsync(CancellationToken ct)
    {
        var metadata = resource.Metadata as IProjectOutputMetadata
            ?? throw new DistributedApplicationException($"Project '{Name}' has no build output path; reference it from the AppHost with IsAspireProjectResource=\"true\".");
        if (!File.Exists(metadata.TargetPath))
        {
            throw new DistributedApplicationException($"Project '{Name}' is not built: {metadata.TargetPath} does not exist. Build the AppHost (dotnet build Shop.AppHost).");
        }
        var args = new List<object>();
        foreach (var a in resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await a.Callback(args).ConfigureAwait(false);
        }
        _replicas.Clear(); // a start after a stop runs new processes behind the same proxies
        var replicaEnvs = new List<ImmutableArray<EnvironmentVariableSnapshot>>();
        for (var i = 0; i < resource.Replicas; i++)
        {
            var ports = Endpoints.ToDictionary(e => e.Name, e => e.IsProxied
                ? (!Context.Options.RandomizePorts && e.TargetPort is { } t && resource.Replicas == 1 ? t : PortAllocator.GetFreePort())
                : e.AllocatedEndpoint!.Port);
            var id = ProjectEnvironment.NewInstanceId(Name);
            var env = await ProjectEnvironment.BuildAsync(resource, new ProjectEnvironment.Replica(id, ports), Context.Options.EnvironmentName,
                Context.ExecutionContext, Otlp?.Endpoint, Otlp?.ApiKey, ct).ConfigureAwait(false);
            var processEnv = env.ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
            // Settings of the AppHost's own process must not leak into a service's.
            foreach (var k in Environment.GetEnvironmentVariables().Keys.Cast<string>()
                         .Where(k => k.StartsWith("ConnectionStrings__", StringComparison.Ordinal) || k.StartsWith("services__", StringComparison.Ordinal)
                                     || k.StartsWith("Parameters__", StringComparison.Ordinal) || k.StartsWith("AppHost__", StringComparison.Ordinal)
                                     || k == "ASPNETCORE_HTTP_PORTS" || k == "ASPNETCORE_HTTPS_PORTS"))
            {
                processEnv.TryAdd(k, null);
            }
            var replicaName = id;
            var process = StartProcess("dotnet", [metadata.TargetPath, .. args.Select(a => a.ToString() ?? "")], processEnv,
                Path.GetDirectoryName(metadata.ProjectPath), (line, err) => Log(resource.Replicas > 1 ? $"[{replicaName}] {line}" : line, err));
            _replicas.Add((id, process, ports));
            WatchReplica(id, process);
            replicaEnvs.Add([.. env.OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => new EnvironmentVariableSnapshot(kv.Key, kv.Value, ProjectEnvironment.IsSecret(resource, kv.Key)))]);
        }
        foreach (var (proxy, ep) in _proxies.Zip(Endpoints.Where(e => e.IsProxied)))
        {
            proxy.SetTargets(_replicas.Select(r => r.Ports[ep.Name]));
            if (!_proxiesStarted)
            {
                proxy.Start();
            }
        }
        _proxiesStarted = true;
        Publish(s => s with
        {
            Replicas = [.. _replicas.Select(r => new ReplicaSnapshot(r.Id, r.Process.ProcessId, KnownResourceStates.Running, null,
                $"http://127.0.0.1:{r.Ports.Values.First()}"))],
            EnvironmentVariables = replicaEnvs[0],
        });
    }

    private void WatchReplica(string id, ManagedProcess process)
    {
        var launch = CurrentLaunch;
        _ = process.Exited.ContinueWith(t =>
        {
            if (IsExpectedExit(launch))
            {
                return;
            }
            var code = t.Result;
            foreach (var (proxy, ep) in _proxies.Zip(Endpoints.Where(e => e.IsProxied)))
            {
                proxy.SetTargets(_replicas.Where(r => !r.Process.HasExited).Select(r => r.Ports[ep.Name]));
            }
            var allGone = _replicas.All(r => r.Process.HasExited);
            var lines = LastLines();
            Publish(s => s with
            {
                Replicas = [.. s.Replicas.Select(r => r.Name == id ? r with { State = KnownResourceStates.Exited, ExitCode = code } : r)],
                State = allGone ? KnownResourceStates.Exited : s.State,
                ExitCode = allGone ? code : s.ExitCode,
                HealthStatus = allGone ? null : ResourceHealthStatus.Unhealthy,
                StopTimeStamp = allGone ? DateTimeOffset.UtcNow : s.StopTimeStamp,
                StateDescription = $"{id} exited with code {code}. Last output:{Environment.NewLine}{lines}",
            });
            Context.Console.LogError("{Resource}: {Replica} exited unexpectedly with code {Code}. Last output:{NewLine}{Lines}", Name, id, code, Environment.NewLine, lines);
        }, TaskScheduler.Default);
    }

    public override Func<CancellationToken, Task<HealthCheckResult>>? HealthCheck
        => resource.Annotations.OfType<HttpHealthCheckAnnotation>().LastOrDefault() is { } check ? ct => ProbeAsync(check, ct) : null;

    private async Task<HealthCheckResult> ProbeAsync(HttpHealthCheckAnnotation check, CancellationToken ct)
    {
        var results = await Task.WhenAll(_replicas.Where(r => !r.Process.HasExited).Select(async r =>
        {
            var url = $"http://127.0.0.1:{r.Ports[check.EndpointName]}{check.Path}";
            try
            {
                using var response = await Probe.GetAsync(url, ct).ConfigureAwait(false);
                var ok = check.StatusCode is { } expected ? (int)response.StatusCode == expected : response.IsSuccessStatusCode;
                return ok ? null : $"{r.Id}: GET {check.Path} answered {(int)response.StatusCode}";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return $"{r.Id}: GET {check.Path} failed: {ex.Message}";
            }
        })).ConfigureAwait(false);
        var failures = results.Where(r => r is not null).ToList();
        return failures.Count == 0 && results.Length > 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy(results.Length == 0 ? "no replica is running" : string.Join("; ", failures));
    }

    public override async Task StopAsync()
    {
        // New connections find no replica (they are closed at once, like a stopped server's); the address stays.
        foreach (var proxy in _proxies)
        {
            proxy.SetTargets([]);
        }
        // SIGTERM lets ASP.NET Core drain in-flight requests within its shutdown timeout; then the group is killed.
        await Task.WhenAll(_replicas.Select(r => r.Process.StopAsync(ManagedProcess.SIGTERM, TimeSpan.FromSeconds(10)))).ConfigureAwait(false);
        Publish(s => s with { Replicas = [.. s.Replicas.Select(r => r with { State = KnownResourceStates.Exited })] });
    }

    public override async ValueTask ReleaseAsync()
    {
        foreach (var proxy in _proxies)
        {
            await proxy.DisposeAsync().ConfigureAwait(false);
        }
    }
}
