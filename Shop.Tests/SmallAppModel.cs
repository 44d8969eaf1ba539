namespace Shop.Tests;

/// <summary>
/// The part of Shop's app model that the tests with an app model of their own start from: PostgreSQL, RabbitMQ and
/// Redis, identity (with an admin account) and catalog, wired as Shop.AppHost wires them. Those tests stall or stop a
/// piece, which would pull the floor from under the shared system's tests.
/// </summary>
internal sealed record SmallAppModel(
    IResourceBuilder<PostgresServerResource> Postgres,
    IResourceBuilder<RabbitMQServerResource> Messaging,
    IResourceBuilder<RedisResource> Cache,
    IResourceBuilder<ProjectResource> Identity,
    IResourceBuilder<ProjectResource> Catalog)
{
    public static SmallAppModel Add(IDistributedApplicationBuilder builder)
    {
        var postgres = builder.AddPostgres("postgres");
        var messaging = builder.AddRabbitMQ("messaging");
        var cache = builder.AddRedis("cache");
        var identity = builder.AddProject<Projects.Identity>("identity")
            .WithReference(postgres.AddDatabase("identitydb")).WithReference(messaging).WaitFor(messaging)
            .WithEnvironment("Identity__AdminEmail", "admin@shop.local")
            .WithEnvironment("Identity__AdminPassword", builder.AddGeneratedParameter("admin-password")).WithHttpHealthCheck("/health");
        var catalog = builder.AddProject<Projects.Catalog>("catalog").WithHttpEndpoint(name: "grpc", env: "GRPC_PORT")
            .WithReference(postgres.AddDatabase("catalogdb")).WithReference(messaging).WaitFor(messaging)
            .WithReference(cache).WaitFor(cache).WithReference(identity).WithHttpHealthCheck("/health");
        return new SmallAppModel(postgres, messaging, cache, identity, catalog);
    }
}
