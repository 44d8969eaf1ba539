using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Shop.AppHost.Runtime;

namespace Aspire.Hosting.Testing;

public static class DistributedApplicationTestingExtensions
{
    /// <summary>An HttpClient for the resource's endpoint (http unless named), as Aspire.Hosting.Testing's CreateHttpClient.</summary>
    public static HttpClient CreateHttpClient(this DistributedApplication app, string resourceName, string? endpointName = null)
        => new() { BaseAddress = app.GetEndpoint(resourceName, endpointName), Timeout = TimeSpan.FromSeconds(30) };

    public static Uri GetEndpoint(this DistributedApplication app, string resourceName, string? endpointName = null)
    {
        var resource = app.Services.GetRequiredService<IResourceCollection>().SingleOrDefault(r => r.Name == resourceName)
            ?? throw new ArgumentException($"No resource named '{resourceName}'.", nameof(resourceName));
        var endpoints = resource.Annotations.OfType<EndpointAnnotation>().ToList();
        var endpoint = endpointName is not null
            ? endpoints.SingleOrDefault(e => e.Name == endpointName)
            : endpoints.FirstOrDefault(e => e.Name == "http") ?? endpoints.FirstOrDefault(e => e.Name == "https");
        var allocated = endpoint?.AllocatedEndpoint
            ?? throw new InvalidOperationException($"Resource '{resourceName}' has no allocated endpoint '{endpointName ?? "http"}' (has the app started?).");
        return new Uri(allocated.UriString);
    }

    public static async Task<string?> GetConnectionStringAsync(this DistributedApplication app, string resourceName, CancellationToken cancellationToken = default)
        => app.Services.GetRequiredService<IResourceCollection>().SingleOrDefault(r => r.Name == resourceName) is IResourceWithConnectionString r
            ? await r.GetConnectionStringAsync(cancellationToken).ConfigureAwait(false)
            : throw new ArgumentException($"Resource '{resourceName}' has no connection string.", nameof(resourceName));

    /// <summary>The process ids the runtime started (servers, epmd, every replica).</summary>
    public static IReadOnlyList<int> GetProcessIds(this DistributedApplication app)
        => [.. app.Services.GetRequiredService<Orchestrator>().ProcessIds];
}
