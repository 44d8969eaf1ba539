var builder = DistributedApplication.CreateBuilder(args);

var postgres = builder.AddPostgres("postgres");
var identityDb = postgres.AddDatabase("identitydb");
var catalogDb = postgres.AddDatabase("catalogdb");
var inventoryDb = postgres.AddDatabase("inventorydb");
var messaging = builder.AddRabbitMQ("messaging").WithManagementPlugin();
var cache = builder.AddRedis("cache");
var adminPassword = builder.AddGeneratedParameter("admin-password");

var identity = builder.AddProject<Projects.Identity>("identity")
    .WithReference(identityDb).WaitFor(identityDb)
    .WithEnvironment("Identity__AdminEmail", "admin@shop.local")
    .WithEnvironment("Identity__AdminPassword", adminPassword)
    .WithHttpHealthCheck("/health");

var inventory = builder.AddProject<Projects.Inventory>("inventory")
    .WithReference(inventoryDb).WaitFor(inventoryDb)
    .WithReference(identity)
    .WithHttpHealthCheck("/health");

var catalog = builder.AddProject<Projects.Catalog>("catalog")
    .WithReference(catalogDb).WaitFor(catalogDb)
    .WithReference(cache).WaitFor(cache)
    .WithReference(identity)
    .WithReference(inventory)
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.Gateway>("gateway")
    .WithReplicas(2)
    .WithHttpEndpoint(port: 5080)
    .WithExternalHttpEndpoints()
    .WithReference(cache).WaitFor(cache)
    .WithReference(identity).WaitFor(identity)
    .WithReference(catalog).WaitFor(catalog)
    .WithReference(inventory).WaitFor(inventory)
    .WithHttpHealthCheck("/health");

builder.Build().Run();
