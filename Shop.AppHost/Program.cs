using Shop.AppHost;
using Shop.AppHost.Servers;

var builder = DistributedApplication.CreateBuilder(args);

var servers = builder.AddServers();
var adminPassword = builder.AddParameter("admin-password", new GenerateParameterDefault { MinLength = 16 }, secret: true, persist: true);

// Every service owns one database on the server, talks over the broker and checks tokens against identity's keys.
IResourceBuilder<ProjectResource> AddService<TProject>(string name) where TProject : IProjectMetadata, new()
{
    var database = servers.AddDatabase($"{name}db");
    return builder.AddProject<TProject>(name).FromBuildOutput()
        .WithReference(database).WaitFor(database)
        .WithReference(servers.Messaging).WaitFor(servers.Messaging)
        .WithHttpHealthCheck("/health");
}

var identity = AddService<Projects.Identity>("identity")
    .WithEnvironment("Identity__AdminEmail", "admin@shop.local")
    .WithEnvironment("Identity__AdminPassword", adminPassword);

var catalog = AddService<Projects.Catalog>("catalog")
    // A second endpoint for gRPC (HTTP/2 only): its port comes in GRPC_PORT, not in ASPNETCORE_URLS.
    .WithHttpEndpoint(name: "grpc", env: "GRPC_PORT")
    .WithReference(servers.Cache).WaitFor(servers.Cache)
    .WithReference(identity);

var inventory = AddService<Projects.Inventory>("inventory").WithReference(identity);

// The simulated payment provider and carrier fail on demand: tests and demos set these per run.
var payment = AddService<Projects.Payment>("payment").WithReference(identity)
    .WithEnvironment("Payment__Provider__DeclineAmountOver", "10000")
    .WithEnvironment("Payment__Provider__DeclineTokens__0", "tok_decline")
    .WithEnvironment("Payment__Provider__SlowTokens__0", "tok_slow");

var shipping = AddService<Projects.Shipping>("shipping").WithReference(identity)
    .WithEnvironment("Shipping__UnservedCountries__0", "AQ");

var notification = AddService<Projects.Notification>("notification").WithReference(identity);

var ordering = AddService<Projects.Ordering>("ordering")
    .WithReference(servers.Cache).WaitFor(servers.Cache)
    .WithReference(identity)
    .WithReference(catalog).WaitFor(catalog);

// The only public entry point, on :5080 (its launch profile); two replicas behind Aspire's proxy.
builder.AddProject<Projects.Gateway>("gateway").FromBuildOutput()
    .WithReplicas(2)
    .WithExternalHttpEndpoints()
    .WithReference(servers.Cache).WaitFor(servers.Cache)
    .WithReference(identity).WaitFor(identity)
    .WithReference(catalog).WaitFor(catalog)
    .WithReference(inventory).WaitFor(inventory)
    .WithReference(ordering).WaitFor(ordering)
    .WithReference(payment).WaitFor(payment)
    .WithReference(shipping).WaitFor(shipping)
    .WithReference(notification).WaitFor(notification)
    .WithHttpHealthCheck("/health");

builder.AddStartupReport();

builder.Build().Run();
