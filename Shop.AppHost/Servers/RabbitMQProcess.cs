using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Shop.AppHost.Servers;

/// <summary>RabbitMQ run as a process of this machine (Debian's package), in Aspire's connection-string format.</summary>
public sealed class RabbitMQProcessResource(string name, ParameterResource password, string directory)
    : ExecutableResource(name, RabbitMQProcessExtensions.Server, directory), IResourceWithConnectionString
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
    /// A private RabbitMQ node with the management plugin: acquired with apt-get on first run, its data in the state
    /// directory, bound to localhost. Erlang starts a port mapper (epmd) as a daemon that outlives the node: it gets a
    /// port of its own, so two instances never meet, and is stopped once the AppHost has stopped everything else (the
    /// node's own shutdown still needs it), so nothing is left running.
    /// </summary>
    public static IResourceBuilder<RabbitMQProcessResource> AddRabbitMQProcess(this IDistributedApplicationBuilder builder, string name, string stateDirectory)
    {
        var password = builder.AddParameter($"{name}-password", new GenerateParameterDefault { MinLength = 22, Special = false }, secret: true, persist: true);
        var dir = Path.Combine(stateDirectory, name);
        var server = new RabbitMQProcessResource(name, password.Resource, dir);
        var healthKey = $"{name}_check";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(healthKey,
            new RabbitMQHealthCheck(server), failureStatus: null, tags: null, timeout: TimeSpan.FromSeconds(5)));

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

        builder.Eventing.Subscribe<BeforeStartEvent>((e, ct) =>
        {
            e.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.Register(() => StopPortMapper(epmdPort));
            return Task.CompletedTask;
        });

        return builder.AddResource(server)
            .WithEndpoint(name: "tcp", scheme: "tcp", isProxied: false).OnLoopback("tcp")
            .WithHttpEndpoint(name: "management", isProxied: false).OnLoopback("management")
            // Erlang distribution (the CLI tools talk to the node over it): a port of its own, never 25672 + offset guesses.
            .WithEndpoint(name: "distribution", scheme: "tcp", isProxied: false).OnLoopback("distribution")
            // Erlang's port mapper, which the node starts as a daemon on this port of its own (ERL_EPMD_PORT).
            .WithEndpoint(name: "epmd", scheme: "tcp", isProxied: false).OnLoopback("epmd")
            .WithIconName("Mail")
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
            .WithHealthCheck(healthKey);
    }


    /// <summary>Stops the epmd daemon that this node started: the one whose environment names this instance's port.</summary>
    private static void StopPortMapper(EndpointReference epmd)
    {
        if (!epmd.IsAllocated)
        {
            return;
        }
        var marker = $"ERL_EPMD_PORT={epmd.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "comm")).Trim() == "epmd"
                    && File.ReadAllText(Path.Combine(dir, "environ")).Split('\0').Contains(marker))
                {
                    using var process = System.Diagnostics.Process.GetProcessById(pid);
                    process.Kill();
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
            {
                // Gone meanwhile, or not ours to read.
            }
        }
    }
}
