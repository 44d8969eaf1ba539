using Shop.AppHost;
using Shop.AppHost.Servers;

namespace Shop.Tests;

/// <summary>
/// The part of Shop's app model that the tests with an app model of their own start from: PostgreSQL, RabbitMQ and
/// Redis, identity (with an admin account) and catalog, wired as Shop.AppHost wires them. Those tests stall or stop a
/// piece, which would pull the floor from under the shared system's tests.
/// </summary>
internal sealed record SmallAppModel(
    IResourceBuilder<PostgresProcessResource> Postgres,
    IResourceBuilder<RabbitMQProcessResource> Messaging,
    IResourceBuilder<RedisProcessResource> Cache,
    IResourceBuilder<ProjectResource> Identity,
    IResourceBuilder<ProjectResource> Catalog)
{
    public static SmallAppModel Add(IDistributedApplicationBuilder builder, string stateDirectory)
    {
        var postgres = builder.AddPostgresProcess("postgres", stateDirectory);
        var messaging = builder.AddRabbitMQProcess("messaging", stateDirectory);
        var cache = builder.AddRedisProcess("cache", stateDirectory);
        var identityDb = postgres.AddDatabase("identitydb");
        var identity = builder.AddProject<Projects.Identity>("identity").FromBuildOutput()
            .WithReference(identityDb).WaitFor(identityDb).WithReference(messaging).WaitFor(messaging)
            .WithEnvironment("Identity__AdminEmail", "admin@shop.local")
            .WithEnvironment("Identity__AdminPassword", builder.AddParameter("admin-password", new GenerateParameterDefault { MinLength = 16 }, secret: true))
            .WithHttpHealthCheck("/health");
        var catalogDb = postgres.AddDatabase("catalogdb");
        var catalog = builder.AddProject<Projects.Catalog>("catalog").FromBuildOutput().WithHttpEndpoint(name: "grpc", env: "GRPC_PORT")
            .WithReference(catalogDb).WaitFor(catalogDb).WithReference(messaging).WaitFor(messaging)
            .WithReference(cache).WaitFor(cache).WithReference(identity).WithHttpHealthCheck("/health");
        return new SmallAppModel(postgres, messaging, cache, identity, catalog);
    }
}
