using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RabbitMQ.Client;

namespace Shop.AppHost.Runtime.Servers;

/// <summary>
/// A private RabbitMQ node. It gets its own epmd on a free port (ERL_EPMD_PORT), started and stopped with it, so
/// nothing outlives the AppHost and two instances (a developer's and a test run's) never meet.
/// </summary>
internal sealed class RabbitMQRunner(RabbitMQServerResource resource, RunnerContext context) : ResourceRunner(resource, context)
{
    private const string Server = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    private ManagedProcess? _epmd;
    private ManagedProcess? _node;
    private int _epmdPort;
    private int _distPort;
    private IConnection? _healthConnection;

    public override IEnumerable<int> ProcessIds => new[] { _node, _epmd }.Where(p => p is not null).Select(p => p!.ProcessId);

    public override void AllocateEndpoints()
    {
        foreach (var ep in resource.Annotations.OfType<EndpointAnnotation>())
        {
            ep.AllocatedEndpoint = new AllocatedEndpoint(ep, "127.0.0.1", AllocatePort(ep, Context.Options.RandomizePorts));
        }
        _epmdPort = PortAllocator.GetFreePort();
        _distPort = PortAllocator.GetFreePort();
    }

    private static string? FindEpmd()
        => File.Exists("/usr/bin/epmd") ? "/usr/bin/epmd"
            : Directory.Exists("/usr/lib/erlang") ? Directory.GetFiles("/usr/lib/erlang", "epmd", SearchOption.AllDirectories).FirstOrDefault() : null;

    public override async Task StartAsync(CancellationToken ct)
    {
        await Context.Installer.EnsureAsync("rabbitmq-server", () => File.Exists(Server), Progress, ct).ConfigureAwait(false);
        var dir = CreatePrivateDirectory(Name);
        Directory.CreateDirectory(Path.Combine(dir, "mnesia"));
        Directory.CreateDirectory(Path.Combine(dir, "log"));
        WriteConfig(dir);

        var inv = CultureInfo.InvariantCulture;
        var epmd = FindEpmd() ?? throw new InvalidOperationException("epmd (Erlang port mapper) was not found after installing rabbitmq-server.");
        _epmd = StartProcess(epmd, ["-port", _epmdPort.ToString(inv), "-address", "127.0.0.1"], new Dictionary<string, string?>(), dir, (l, e) => Log($"[epmd] {l}", e));
        WatchForExit(_epmd, "epmd");

        var env = new Dictionary<string, string?>
        {
            ["HOME"] = dir, // the Erlang cookie lives in $HOME; server and CLI tools must share it
            ["RABBITMQ_NODENAME"] = "shop@localhost", // stable, so the mnesia directory (the data) is reused across runs
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = resource.PrimaryEndpoint.Port.ToString(inv),
            ["RABBITMQ_DIST_PORT"] = _distPort.ToString(inv),
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(dir, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(dir, "log"),
            ["RABBITMQ_LOGS"] = "-",
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(dir, "enabled_plugins"),
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(dir, "rabbitmq"),
            ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(dir, "advanced.config"),
            ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(dir, "rabbitmq-env.conf"),
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
            ["ERL_EPMD_PORT"] = _epmdPort.ToString(inv),
            ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}",
        };
        _node = StartProcess(Server, [], env, dir);
        WatchForExit(_node, "rabbitmq-server");
    }

    private void WriteConfig(string dir)
    {
        var inv = CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            $"listeners.tcp.1 = 127.0.0.1:{resource.PrimaryEndpoint.Port.ToString(inv)}",
            $"default_user = {resource.UserNameParameter.Value}",
            $"default_pass = {resource.PasswordParameter.Value}",
            "loopback_users = none",
        };
        if (resource.ManagementPluginEnabled)
        {
            var mgmt = new EndpointReference(resource, RabbitMQServerResource.ManagementEndpointName);
            lines.Add("management.tcp.ip = 127.0.0.1");
            lines.Add($"management.tcp.port = {mgmt.Port.ToString(inv)}");
        }
        var conf = Path.Combine(dir, "rabbitmq.conf");
        File.WriteAllText(conf, "");
        File.SetUnixFileMode(conf, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllLines(conf, lines);
        File.WriteAllText(Path.Combine(dir, "enabled_plugins"), resource.ManagementPluginEnabled ? "[rabbitmq_management].\n" : "[].\n");
        File.WriteAllText(Path.Combine(dir, "advanced.config"), "[].\n");
        File.WriteAllText(Path.Combine(dir, "rabbitmq-env.conf"), "");
    }

    /// <summary>
    /// Healthy when the broker opens and closes a channel on the AppHost's kept connection within 3 s. A new
    /// connection per check (every 5 s) cost the broker a handshake, an authentication and a set of Erlang processes
    /// each time; a channel is one round trip, and still finds a broker that accepts connections but does not answer.
    /// </summary>
    public override Func<CancellationToken, Task<HealthCheckResult>> HealthCheck => async ct =>
    {
        try
        {
            // A hard 3 s: the client's own operations wait up to 20 s for a broker that does not answer.
            await OpenAndCloseChannelAsync(ct).WaitAsync(TimeSpan.FromSeconds(3), ct).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Not awaited: closing a connection to a broker that does not answer takes the client's own timeouts. The
            // connection is taken out at once, so the next check opens a new one.
            _ = DropHealthConnectionAsync();
            return HealthCheckResult.Unhealthy(ex is TimeoutException ? "no answer within 3 s" : ex.InnerException?.Message ?? ex.Message);
        }
    };

    private async Task OpenAndCloseChannelAsync(CancellationToken ct)
    {
        var connection = _healthConnection is { IsOpen: true } open ? open : await ConnectForHealthAsync(ct).ConfigureAwait(false);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct).ConfigureAwait(false);
        await channel.CloseAsync(ct).ConfigureAwait(false);
    }

    private async Task<IConnection> ConnectForHealthAsync(CancellationToken ct)
    {
        await DropHealthConnectionAsync().ConfigureAwait(false);
        var factory = new ConnectionFactory
        {
            Uri = new Uri((await resource.GetConnectionStringAsync(ct).ConfigureAwait(false))!),
            AutomaticRecoveryEnabled = false,
            RequestedConnectionTimeout = TimeSpan.FromSeconds(3),
            ClientProvidedName = "apphost-health",
        };
        return _healthConnection = await factory.CreateConnectionAsync(ct).ConfigureAwait(false);
    }

    private async Task DropHealthConnectionAsync()
    {
        if (Interlocked.Exchange(ref _healthConnection, null) is { } old)
        {
            try
            {
                // Abort: close without waiting long for a broker that may be gone, and without throwing for it.
                await old.AbortAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
                await old.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A connection to a broker that is gone cannot be closed cleanly; it is dropped either way.
            }
        }
    }

    public override async Task StopAsync()
    {
        await DropHealthConnectionAsync().ConfigureAwait(false);
        if (_node is { } node)
        {
            await node.StopAsync(ManagedProcess.SIGTERM, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        if (_epmd is { } epmd)
        {
            await epmd.StopAsync(ManagedProcess.SIGTERM, TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }
    }
}
