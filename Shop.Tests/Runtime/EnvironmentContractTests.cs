using Shop.AppHost.Runtime.Projects;

namespace Shop.Tests.Runtime;

/// <summary>The environment a project gets is the one .NET Aspire hands it (ASPIRE-CONTRACT §2).</summary>
public sealed class EnvironmentContractTests
{
    private static void Allocate(IResource resource, string endpoint, int port)
    {
        var ep = resource.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == endpoint);
        ep.AllocatedEndpoint = new AllocatedEndpoint(ep, "127.0.0.1", port);
    }

    private static (ProjectResource Catalog, ProjectResource Gateway) Model()
    {
        var builder = DistributedApplicationTestingBuilder.Create();
        builder.Configuration["Parameters:postgres-password"] = "pgsecret";
        builder.Configuration["Parameters:cache-password"] = "redissecret";
        builder.Configuration["Parameters:messaging-password"] = "p@ss/word";
        var postgres = builder.AddPostgres("postgres");
        var db = postgres.AddDatabase("catalogdb");
        var cache = builder.AddRedis("cache");
        var messaging = builder.AddRabbitMQ("messaging");
        var catalog = builder.AddProject<Projects.Catalog>("catalog").WithReference(db).WithReference(cache).WithReference(messaging)
            .WithEnvironment("Feature__Flag", "on");
        var gateway = builder.AddProject<Projects.Gateway>("gateway").WithHttpEndpoint(port: 5080).WithReference(catalog);
        Allocate(postgres.Resource, "tcp", 6001);
        Allocate(cache.Resource, "tcp", 6002);
        Allocate(messaging.Resource, "tcp", 6003);
        Allocate(catalog.Resource, "http", 6004);
        Allocate(gateway.Resource, "http", 5080);
        return (catalog.Resource, gateway.Resource);
    }

    private static Task<Dictionary<string, string>> EnvironmentOf(ProjectResource project, string environmentName = "Development", string? otlp = null, string? otlpKey = null)
        => ProjectEnvironment.BuildAsync(project, new ProjectEnvironment.Replica($"{project.Name}-abcd1234", new Dictionary<string, int> { ["http"] = 7001 }),
            environmentName, new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run), otlp, otlpKey);

    [Fact]
    public async Task connection_strings_have_aspire_formats()
    {
        var env = await EnvironmentOf(Model().Catalog);

        Assert.Equal("Host=127.0.0.1;Port=6001;Username=postgres;Password=pgsecret;Database=catalogdb", env["ConnectionStrings__catalogdb"]);
        Assert.Equal("127.0.0.1:6002,password=redissecret", env["ConnectionStrings__cache"]);
        Assert.Equal("amqp://guest:p%40ss%2Fword@127.0.0.1:6003", env["ConnectionStrings__messaging"]);
        Assert.Equal("on", env["Feature__Flag"]);
    }

    [Fact]
    public async Task a_referenced_project_is_found_through_service_discovery_at_its_stable_address()
    {
        var env = await EnvironmentOf(Model().Gateway);

        Assert.Equal("http://127.0.0.1:6004", env["services__catalog__http__0"]);
        Assert.False(env.ContainsKey("ConnectionStrings__catalogdb"), "the gateway was not given the catalog database");
    }

    [Fact]
    public async Task the_process_listens_on_its_own_port_with_its_identity_for_telemetry()
    {
        var env = await EnvironmentOf(Model().Catalog);

        Assert.Equal("http://127.0.0.1:7001", env["ASPNETCORE_URLS"]);
        Assert.Equal("Development", env["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal("Development", env["DOTNET_ENVIRONMENT"]);
        Assert.Equal("catalog", env["OTEL_SERVICE_NAME"]);
        Assert.Equal("service.instance.id=catalog-abcd1234", env["OTEL_RESOURCE_ATTRIBUTES"]);
        Assert.Equal("always_on", env["OTEL_TRACES_SAMPLER"]);
        Assert.False(env.ContainsKey("OTEL_EXPORTER_OTLP_ENDPOINT"), "no exporter endpoint without a receiver");
        Assert.False(env.ContainsKey("OTEL_EXPORTER_OTLP_PROTOCOL"), "no exporter settings without a receiver");
        Assert.False(env.ContainsKey("OTEL_EXPORTER_OTLP_HEADERS"), "no exporter settings without a receiver");
    }

    [Fact]
    public async Task with_a_receiver_telemetry_is_exported_every_second_in_development()
    {
        var env = await EnvironmentOf(Model().Catalog, otlp: "http://localhost:4317", otlpKey: "k3y");

        Assert.Equal("http://localhost:4317", env["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("grpc", env["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        Assert.Equal("x-otlp-api-key=k3y", env["OTEL_EXPORTER_OTLP_HEADERS"]);
        Assert.Equal("1000", env["OTEL_BSP_SCHEDULE_DELAY"]);
        Assert.Equal("1000", env["OTEL_BLRP_SCHEDULE_DELAY"]);
        Assert.Equal("1000", env["OTEL_METRIC_EXPORT_INTERVAL"]);

        var production = await EnvironmentOf(Model().Catalog, "Production", otlp: "http://localhost:4317");
        Assert.False(production.ContainsKey("OTEL_BSP_SCHEDULE_DELAY"));
    }

    [Fact]
    public void connection_strings_and_passwords_are_secrets_for_display()
    {
        var (catalog, _) = Model();
        Assert.True(ProjectEnvironment.IsSecret(catalog, "ConnectionStrings__catalogdb"));
        Assert.True(ProjectEnvironment.IsSecret(catalog, "ADMIN_PASSWORD"));
        Assert.True(ProjectEnvironment.IsSecret(catalog, "OTEL_EXPORTER_OTLP_HEADERS")); // the dashboard's OTLP API key
        Assert.False(ProjectEnvironment.IsSecret(catalog, "OTEL_EXPORTER_OTLP_ENDPOINT"));
        Assert.False(ProjectEnvironment.IsSecret(catalog, "OTEL_SERVICE_NAME"));
    }

    [Fact]
    public void replica_ids_follow_aspire_naming()
    {
        var ids = Enumerable.Range(0, 20).Select(_ => ProjectEnvironment.NewInstanceId("catalog")).ToList();
        Assert.All(ids, id => Assert.Matches("^catalog-[a-z0-9]{8}$", id));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }
}
