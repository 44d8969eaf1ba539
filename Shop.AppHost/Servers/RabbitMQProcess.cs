using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Shop.AppHost.Servers;

/// <summary>RabbitMQ run as a process of this machine (Debian's package), in Aspire's connection-string format.</summary>
public sealed class RabbitMQProcessResource(string name, ParameterResource password, string directory)
    : ExecutableResource(name, "/bin/sh", directory), IResourceWithConnectionString
{
    public const string UserName = "shop";

    public ParameterResource PasswordParameter { get; } = password;

    public EndpointReference PrimaryEndpoint => new(this, "tcp");

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"amqp://{UserName}:{PasswordParameter}@{PrimaryEndpoint.Property(EndpointProperty.Host)}:{PrimaryEndpoint.Property(EndpointProperty.Port)}");
}

public static class RabbitMQProcessExtensions
{
    internal const string Server = "/usr/lib/rabbitmq/bin/rabbitmq-server";

    /// <summary>
    /// Starts Erlang's port mapper (epmd) on this instance's port (ERL_EPMD_PORT) as a child of the script, waits until
    /// it answers, then runs the node, which finds it there instead of starting one as a daemon that would outlive
    /// everything. SIGTERM is passed on to the node. A watcher stops the port mapper once the node has gone, even when
    /// DCP kills the script before the node has finished stopping (it waits a few seconds, then kills; measured here,
    /// the port mapper was then left until DCP's own exit 6 s later, which held the whole stop up).
    /// </summary>
    private const string Supervisor = "epmd & epmd=$!; tries=0; "
        + "until epmd -names >/dev/null 2>&1 || [ $tries -ge 100 ]; do tries=$((tries+1)); sleep 0.05; done; "
        + $"{Server} & pid=$!; "
        + "(while kill -0 $pid 2>/dev/null; do sleep 0.2; done; kill $epmd 2>/dev/null) & "
        + "trap 'kill -TERM $pid' TERM INT; status=0; "
        + "while kill -0 $pid 2>/dev/null; do wait $pid; status=$?; done; exit $status";

    /// <summary>
    /// A private RabbitMQ node with the management plugin: acquired with apt-get on first run, its data in the state
    /// directory, bound to localhost. Erlang's port mapper (epmd) gets a port of its own, so two instances never meet, and
    /// runs under the same script as the node, so nothing is left running.
    /// </summary>
    public static IResourceBuilder<RabbitMQProcessResource> AddRabbitMQProcess(this IDistributedApplicationBuilder builder, string name, string stateDirectory)
    {
        var password = builder.AddServerPassword(name);
        var dir = Path.Combine(stateDirectory, name);
        var server = new RabbitMQProcessResource(name, password.Resource, dir);
        // One instance: the check keeps its connection to the broker between runs.
        var check = new RabbitMQHealthCheck(server);
        var healthKey = builder.AddServerHealthCheck(name, _ => check);

        var epmdPort = server.GetEndpoint("epmd");
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(server, async (e, ct) =>
        {
            var console = e.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Shop.AppHost");
            var log = e.Services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
            await DebianPackages.EnsureAsync("rabbitmq-server", () => File.Exists(Server), console, log, ct).ConfigureAwait(false);
            ServerState.PrivateDirectory(stateDirectory, name);
            Directory.CreateDirectory(Path.Combine(dir, "mnesia"));
            Directory.CreateDirectory(Path.Combine(dir, "log"));
            var management = await server.GetEndpoint("management").Property(EndpointProperty.TargetPort).GetValueAsync(ct).ConfigureAwait(false);
            ServerState.WritePrivateFile(Path.Combine(dir, "rabbitmq.conf"), string.Join('\n',
                $"default_user = {RabbitMQProcessResource.UserName}",
                $"default_pass = {await password.Resource.GetValueAsync(ct).ConfigureAwait(false)}",
                "loopback_users = none",
                "management.tcp.ip = 127.0.0.1",
                $"management.tcp.port = {management}",
                ""));
            File.WriteAllText(Path.Combine(dir, "enabled_plugins"), "[rabbitmq_management].\n");
            File.WriteAllText(Path.Combine(dir, "advanced.config"), "[].\n");
            File.WriteAllText(Path.Combine(dir, "rabbitmq-env.conf"), "");
        });

        return builder.AddResource(server)
            .WithEndpoint(name: "tcp", scheme: "tcp", isProxied: false).OnLoopback("tcp")
            .WithHttpEndpoint(name: "management", isProxied: false).OnLoopback("management")
            // Erlang distribution (the CLI tools talk to the node over it): a port of its own, never 25672 + offset guesses.
            .WithEndpoint(name: "distribution", scheme: "tcp", isProxied: false).OnLoopback("distribution")
            // Erlang's port mapper, which the node starts as a daemon on this port of its own (ERL_EPMD_PORT).
            .WithEndpoint(name: "epmd", scheme: "tcp", isProxied: false).OnLoopback("epmd")
            .WithIconName("Mail")
            .WithArgs("-c", Supervisor)
            .WithEnvironment(context =>
            {
                var env = context.EnvironmentVariables;
                env["HOME"] = dir; // the Erlang cookie lives in $HOME; the server and the CLI tools must share it
                env["RABBITMQ_NODENAME"] = "shop@localhost"; // stable, so the data (mnesia) is reused across runs
                env["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1";
                env["RABBITMQ_NODE_PORT"] = server.PrimaryEndpoint.Property(EndpointProperty.TargetPort);
                env["RABBITMQ_DIST_PORT"] = server.GetEndpoint("distribution").Property(EndpointProperty.TargetPort);
                env["RABBITMQ_MNESIA_BASE"] = Path.Combine(dir, "mnesia");
                env["RABBITMQ_LOG_BASE"] = Path.Combine(dir, "log");
                env["RABBITMQ_LOGS"] = "-";
                env["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(dir, "enabled_plugins");
                env["RABBITMQ_CONFIG_FILE"] = Path.Combine(dir, "rabbitmq");
                env["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(dir, "advanced.config");
                env["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(dir, "rabbitmq-env.conf");
                env["ERL_EPMD_ADDRESS"] = "127.0.0.1";
                env["ERL_EPMD_PORT"] = epmdPort.Property(EndpointProperty.TargetPort);
                env["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}";
            })
            .WithHealthCheck(healthKey).WithReadinessPolling();
    }
}
