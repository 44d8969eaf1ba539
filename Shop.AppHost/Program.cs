using Shop.AppHost;
using Shop.AppHost.Servers;

var builder = DistributedApplication.CreateBuilder(args);

// PostgreSQL (a database per service), RabbitMQ ("messaging") and Redis ("cache"); each service owns its database.
var servers = builder.AddServers();
var adminPassword = builder.AddParameter("admin-password", new GenerateParameterDefault { MinLength = 16 }, secret: true, persist: true);

var identity = builder.AddService<Projects.Identity>("identity", servers)
    .WithEnvironment("Identity__AdminEmail", "admin@shop.local")
    .WithEnvironment("Identity__AdminPassword", adminPassword);

var catalog = builder.AddService<Projects.Catalog>("catalog", servers).WithReference(identity).WithDependencies(servers.Cache)
    // A second endpoint for gRPC (HTTP/2 only): its port comes in GRPC_PORT, not in ASPNETCORE_URLS.
    .WithHttpEndpoint(name: "grpc", env: "GRPC_PORT");

var inventory = builder.AddService<Projects.Inventory>("inventory", servers).WithReference(identity);

// The simulated payment provider and carrier fail on demand: tests and demos set these per run.
var payment = builder.AddService<Projects.Payment>("payment", servers).WithReference(identity)
    .WithEnvironment("Payment__Provider__DeclineAmountOver", "10000")
    .WithEnvironment("Payment__Provider__DeclineTokens__0", "tok_decline")
    .WithEnvironment("Payment__Provider__SlowTokens__0", "tok_slow");

var shipping = builder.AddService<Projects.Shipping>("shipping", servers).WithReference(identity)
    .WithEnvironment("Shipping__UnservedCountries__0", "AQ");

var notification = builder.AddService<Projects.Notification>("notification", servers).WithReference(identity);

var ordering = builder.AddService<Projects.Ordering>("ordering", servers).WithReference(identity).WithDependencies(servers.Cache, catalog);

// The only public entry point, on :5080 (its launch profile); two replicas behind Aspire's proxy.
builder.AddProject<Projects.Gateway>("gateway").FromBuildOutput()
    .WithReplicas(2)
    .WithExternalHttpEndpoints()
    .WithDependencies(servers.Cache, identity, catalog, inventory, ordering, payment, shipping, notification)
    .WithHttpHealthCheck("/health").WithReadinessPolling()
    // A browser front end's development server (Vite's and the common Node port) may call the API across origins; a
    // deployment lists its own origins (Cors:AllowedOrigins), and the gateway allows none unless told.
    .WithEnvironment(context =>
    {
        if (builder.ExecutionContext.IsRunMode)
        {
            context.EnvironmentVariables["Cors__AllowedOrigins__0"] = "http://localhost:5173";
            context.EnvironmentVariables["Cors__AllowedOrigins__1"] = "http://localhost:3000";
        }
    })
    .WithSettingsFromAppHost()
    // The API reference (every service's OpenAPI document, rendered by Scalar), as a link on the dashboard.
    .WithUrlForEndpoint("http", _ => new() { Url = "/api-reference/", DisplayText = "API reference" });

builder.AddStartupReport();

builder.Build().Run();
