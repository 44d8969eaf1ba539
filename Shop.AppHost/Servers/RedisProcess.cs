using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Shop.AppHost.Servers;

/// <summary>Redis run as a process of this machine (Debian's package), in Aspire's connection-string format.</summary>
public sealed class RedisProcessResource(string name, ParameterResource password, string directory)
    : ExecutableResource(name, RedisProcessExtensions.Server, directory), IResourceWithConnectionString
{
    public ParameterResource PasswordParameter { get; } = password;

    public EndpointReference PrimaryEndpoint => new(this, "tcp");

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"{PrimaryEndpoint.Property(EndpointProperty.Host)}:{PrimaryEndpoint.Property(EndpointProperty.Port)},password={PasswordParameter}");
}

public static class RedisProcessExtensions
{
    internal const string Server = "/usr/bin/redis-server";

    /// <summary>
    /// A private Redis: acquired with apt-get on first run, a cache, so nothing is persisted; the password is in an
    /// owner-only config file, not on the command line where any user could read it.
    /// </summary>
    public static IResourceBuilder<RedisProcessResource> AddRedisProcess(this IDistributedApplicationBuilder builder, string name, string stateDirectory)
    {
        var password = builder.AddServerPassword(name);
        var dir = Path.Combine(stateDirectory, name);
        var server = new RedisProcessResource(name, password.Resource, dir);
        // One instance: the check keeps its connection to Redis between runs.
        var check = new RedisHealthCheck(server);
        var healthKey = builder.AddServerHealthCheck(name, _ => check);

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(server, async (e, ct) =>
        {
            var console = e.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Shop.AppHost");
            var log = e.Services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
            await DebianPackages.EnsureAsync("redis-server", () => File.Exists(Server), console, log, ct).ConfigureAwait(false);
            ServerState.PrivateDirectory(stateDirectory, name);
            var port = await server.PrimaryEndpoint.Property(EndpointProperty.TargetPort).GetValueAsync(ct).ConfigureAwait(false);
            ServerState.WritePrivateFile(Path.Combine(dir, "redis.conf"), string.Join('\n',
                "bind 127.0.0.1",
                $"port {port}",
                $"dir {dir}",
                $"requirepass {await password.Resource.GetValueAsync(ct).ConfigureAwait(false)}",
                "save \"\"",
                "appendonly no",
                "daemonize no",
                "protected-mode yes",
                ""));
        });

        return builder.AddResource(server)
            .WithEndpoint(name: "tcp", scheme: "tcp", isProxied: false).OnLoopback("tcp")
            .WithIconName("Memory")
            .WithArgs(Path.Combine(dir, "redis.conf"))
            .WithHealthCheck(healthKey).WithReadinessPolling();
    }
}
