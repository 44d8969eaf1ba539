var builder = DistributedApplication.CreateBuilder(args);

var postgres = builder.AddPostgres("postgres");
var identityDb = postgres.AddDatabase("identitydb");
var catalogDb = postgres.AddDatabase("catalogdb");
var inventoryDb = postgres.AddDatabase("inventorydb");
var paymentDb = postgres.AddDatabase("paymentdb");
var shippingDb = postgres.AddDatabase("shippingdb");
var notificationDb = postgres.AddDatabase("notificationdb");
var orderingDb = postgres.AddDatabase("orderingdb");
var messaging = builder.AddRabbitMQ("messaging").WithManagementPlugin();
var cache = builder.AddRedis("cache");
var adminPassword = builder.AddGeneratedParameter("admin-password");

var identity = builder.AddProject<Projects.Identity>("identity")
    .WithReference(identityDb).WaitFor(identityDb)
    .WithReference(messaging).WaitFor(messaging)
    .WithEnvironment("Identity__AdminEmail", "admin@shop.local")
    .WithEnvironment("Identity__AdminPassword", adminPassword)
    .WithHttpHealthCheck("/health");

var inventory = builder.AddProject<Projects.Inventory>("inventory")
    .WithReference(inventoryDb).WaitFor(inventoryDb)
    .WithReference(messaging).WaitFor(messaging)
    .WithReference(identity)
    .WithHttpHealthCheck("/health");

var catalog = builder.AddProject<Projects.Catalog>("catalog")
    // A second endpoint for gRPC (HTTP/2 only): its port comes in GRPC_PORT, not in ASPNETCORE_URLS.
    .WithHttpEndpoint(name: "grpc", env: "GRPC_PORT")
    .WithReference(catalogDb).WaitFor(catalogDb)
    .WithReference(messaging).WaitFor(messaging)
    .WithReference(cache).WaitFor(cache)
    .WithReference(identity)
    .WithHttpHealthCheck("/health");

var notification = builder.AddProject<Projects.Notification>("notification")
    .WithReference(notificationDb).WaitFor(notificationDb)
    .WithReference(messaging).WaitFor(messaging)
    .WithReference(identity)
    .WithHttpHealthCheck("/health");

var payment = builder.AddProject<Projects.Payment>("payment")
    .WithReference(paymentDb).WaitFor(paymentDb)
    .WithReference(messaging).WaitFor(messaging)
    .WithReference(identity)
    .WithEnvironment("Payment__Provider__DeclineAmountOver", "10000")
    .WithEnvironment("Payment__Provider__DeclineTokens__0", "tok_decline")
    .WithHttpHealthCheck("/health");

var shipping = builder.AddProject<Projects.Shipping>("shipping")
    .WithReference(shippingDb).WaitFor(shippingDb)
    .WithReference(messaging).WaitFor(messaging)
    .WithReference(identity)
    .WithEnvironment("Shipping__UnservedCountries__0", "AQ")
    .WithHttpHealthCheck("/health");

var ordering = builder.AddProject<Projects.Ordering>("ordering")
    .WithReference(orderingDb).WaitFor(orderingDb)
    .WithReference(messaging).WaitFor(messaging)
    .WithReference(cache).WaitFor(cache)
    .WithReference(identity)
    .WithReference(catalog).WaitFor(catalog)
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.Gateway>("gateway")
    .WithReplicas(2)
    .WithHttpEndpoint(port: 5080)
    .WithExternalHttpEndpoints()
    .WithReference(cache).WaitFor(cache)
    .WithReference(identity).WaitFor(identity)
    .WithReference(catalog).WaitFor(catalog)
    .WithReference(inventory).WaitFor(inventory)
    .WithReference(payment).WaitFor(payment)
    .WithReference(shipping).WaitFor(shipping)
    .WithReference(notification).WaitFor(notification)
    .WithReference(ordering).WaitFor(ordering)
    .WithHttpHealthCheck("/health");

builder.Build().Run();
