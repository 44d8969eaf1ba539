namespace Shop.AppHost.Servers;

/// <summary>
/// The servers every service stands on, as the app model sees them: PostgreSQL (a database per service), RabbitMQ
/// ("messaging") and Redis ("cache"). In publish mode they are Aspire's own container resources, which is what azd
/// deploys; in run mode they are processes of this machine (no container engine runs here), with the same names,
/// references and connection-string formats, so the services cannot tell the difference.
/// </summary>
public sealed record Servers(
    IResourceBuilder<IResource> Postgres,
    Func<string, IResourceBuilder<IResourceWithConnectionString>> AddDatabase,
    IResourceBuilder<IResourceWithConnectionString> Messaging,
    IResourceBuilder<IResourceWithConnectionString> Cache);

public static class ServersExtensions
{
    public static Servers AddServers(this IDistributedApplicationBuilder builder)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            var postgres = builder.AddPostgres("postgres");
            return new Servers(postgres, name => postgres.AddDatabase(name), builder.AddRabbitMQ("messaging").WithManagementPlugin(), builder.AddRedis("cache"));
        }
        var state = ServerState.Directory(builder.Configuration, builder.AppHostDirectory);
        var server = builder.AddPostgresProcess("postgres", state);
        return new Servers(server, name => server.AddDatabase(name), builder.AddRabbitMQProcess("messaging", state), builder.AddRedisProcess("cache", state));
    }
}
