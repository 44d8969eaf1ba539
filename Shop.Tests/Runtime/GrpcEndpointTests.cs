using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.ServiceDiscovery;
using Shop.AppHost.Runtime.Projects;

namespace Shop.Tests.Runtime;

/// <summary>
/// A project's second endpoint with its own port variable, as catalog's <c>grpc</c> one
/// (<c>WithHttpEndpoint(name: "grpc", env: "GRPC_PORT")</c>), gets the environment Aspire gives it, and the services that
/// reference the project find it by service discovery under its name.
/// </summary>
public sealed class GrpcEndpointTests
{
    private static (ProjectResource Catalog, ProjectResource Consumer) Model()
    {
        var builder = DistributedApplicationTestingBuilder.Create();
        var catalog = builder.AddProject<Projects.Catalog>("catalog").WithHttpEndpoint(name: "grpc", env: "GRPC_PORT");
        var consumer = builder.AddProject<Projects.Gateway>("gateway").WithReference(catalog);
        Allocate(catalog.Resource, "http", 6004);
        Allocate(catalog.Resource, "grpc", 6005);
        Allocate(consumer.Resource, "http", 6006);
        return (catalog.Resource, consumer.Resource);
    }

    private static void Allocate(IResource resource, string endpoint, int port)
    {
        var ep = resource.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == endpoint);
        ep.AllocatedEndpoint = new AllocatedEndpoint(ep, "127.0.0.1", port);
    }

    private static Task<Dictionary<string, string>> EnvironmentOf(ProjectResource project, Dictionary<string, int> targetPorts)
        => ProjectEnvironment.BuildAsync(project, new ProjectEnvironment.Replica($"{project.Name}-abcd1234", targetPorts),
            "Development", new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run), otlpEndpoint: null);

    [Fact]
    public async Task the_endpoint_gets_its_port_in_its_own_variable_and_stays_out_of_aspnetcore_urls()
    {
        var env = await EnvironmentOf(Model().Catalog, new() { ["http"] = 7001, ["grpc"] = 7002 });

        Assert.Equal("http://127.0.0.1:7001", env["ASPNETCORE_URLS"]);
        Assert.Equal("7002", env["GRPC_PORT"]);
    }

    [Fact]
    public async Task a_referencing_service_gets_every_endpoint_at_its_stable_address()
    {
        var env = await EnvironmentOf(Model().Consumer, new() { ["http"] = 7003 });

        Assert.Equal("http://127.0.0.1:6004", env["services__catalog__http__0"]);
        Assert.Equal("http://127.0.0.1:6005", env["services__catalog__grpc__0"]);
    }

    [Fact]
    public async Task service_discovery_resolves_the_named_endpoint_and_the_plain_name_still_means_http()
    {
        var env = await EnvironmentOf(Model().Consumer, new() { ["http"] = 7003 });
        // What the service's configuration makes of its environment: "__" separates sections.
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(env
                .Where(kv => kv.Key.StartsWith("services__", StringComparison.Ordinal))
                .Select(kv => KeyValuePair.Create(kv.Key.Replace("__", ":", StringComparison.Ordinal), (string?)kv.Value)))
            .Build();
        await using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddServiceDiscovery()
            .BuildServiceProvider();
        var resolver = services.GetRequiredService<ServiceEndpointResolver>();
        var ct = TestContext.Current.CancellationToken;

        var grpc = await resolver.GetEndpointsAsync("http://_grpc.catalog", ct);
        var http = await resolver.GetEndpointsAsync("http://catalog", ct);

        Assert.Equal("http://127.0.0.1:6005/", Assert.Single(grpc.Endpoints).EndPoint.ToString());
        Assert.Equal("http://127.0.0.1:6004/", Assert.Single(http.Endpoints).EndPoint.ToString());
    }
}
