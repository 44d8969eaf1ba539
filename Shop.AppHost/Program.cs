var builder = DistributedApplication.CreateBuilder(args);

var postgres = builder.AddPostgres("postgres");
var catalogDb = postgres.AddDatabase("catalogdb");
var messaging = builder.AddRabbitMQ("messaging").WithManagementPlugin();
var cache = builder.AddRedis("cache");

var catalog = builder.AddProject<Projects.Catalog>("catalog")
    .WithReference(catalogDb).WaitFor(catalogDb)
    .WithReference(cache).WaitFor(cache)
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.Gateway>("gateway")
    .WithHttpEndpoint(port: 5080)
    .WithExternalHttpEndpoints()
    .WithReference(catalog).WaitFor(catalog)
    .WithHttpHealthCheck("/health");

builder.Build().Run();
