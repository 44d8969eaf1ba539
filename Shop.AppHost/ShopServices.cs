using Microsoft.Extensions.Configuration;
using Shop.AppHost.Servers;

namespace Shop.AppHost;

/// <summary>How every Shop service and the gateway are wired into the app model, so Program.cs reads as the system's shape.</summary>
internal static class ShopServices
{
    /// <summary>A service owns one database on the server, talks over the broker and is healthy when its /health is.</summary>
    public static IResourceBuilder<ProjectResource> AddService<TProject>(this IDistributedApplicationBuilder builder, string name, Servers.Servers servers)
        where TProject : IProjectMetadata, new()
    {
        var database = servers.AddDatabase($"{name}db");
        return builder.AddProject<TProject>(name).FromBuildOutput()
            .WithReference(database).WaitFor(database)
            .WithReference(servers.Messaging).WaitFor(servers.Messaging)
            .WithHttpHealthCheck("/health").WithReadinessPolling()
            .WithSettingsFromAppHost();
    }

    /// <summary>
    /// Hands the resource the AppHost's configuration section <c>Services:&lt;name&gt;</c> as its own configuration, so a
    /// run can tune one service without editing code: <c>Services__gateway__RateLimiting__UserPermitLimit=1000</c> in the
    /// AppHost's environment (or the same key in its appsettings or command line) reaches the gateway as
    /// <c>RateLimiting__UserPermitLimit</c>. DCP does not pass the AppHost's own environment on to the resources.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithSettingsFromAppHost(this IResourceBuilder<ProjectResource> builder)
    {
        var section = builder.ApplicationBuilder.Configuration.GetSection($"Services:{builder.Resource.Name}");
        return builder.WithEnvironment(context =>
        {
            foreach (var (key, value) in section.AsEnumerable(makePathsRelative: true))
            {
                if (value is not null)
                {
                    context.EnvironmentVariables[key.Replace(":", "__", StringComparison.Ordinal)] = value;
                }
            }
        });
    }

    /// <summary>References each resource (its connection string or service-discovery address) and starts after it is healthy.</summary>
    public static IResourceBuilder<ProjectResource> WithDependencies(this IResourceBuilder<ProjectResource> builder, params IResourceBuilder<IResource>[] dependencies)
    {
        foreach (var dependency in dependencies)
        {
            builder = dependency switch
            {
                IResourceBuilder<IResourceWithConnectionString> c => builder.WithReference(c),
                IResourceBuilder<IResourceWithServiceDiscovery> s => builder.WithReference(s),
                _ => throw new ArgumentException($"'{dependency.Resource.Name}' has neither a connection string nor endpoints to reference.", nameof(dependencies)),
            };
            builder.WaitFor(dependency);
        }
        return builder;
    }
}
