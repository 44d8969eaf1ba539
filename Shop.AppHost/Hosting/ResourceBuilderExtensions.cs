using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>The modifiers every Aspire resource builder has: references, waits, endpoints, environment, health.</summary>
public static class ResourceBuilderExtensions
{
    /// <summary>Hands the resource the connection string of <paramref name="source"/> as ConnectionStrings__{name}.</summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResourceWithConnectionString> source, string? connectionName = null)
        where T : IResourceWithEnvironment
    {
        var resource = source.Resource;
        var name = connectionName ?? resource.ConnectionStringName;
        return builder
            .WithAnnotation(new ResourceRelationshipAnnotation(resource, "Reference"))
            .WithAnnotation(new SecretEnvironmentVariableAnnotation($"ConnectionStrings__{name}"))
            .WithAnnotation(new EnvironmentCallbackAnnotation(ctx =>
            {
                ctx.EnvironmentVariables[$"ConnectionStrings__{name}"] = resource;
                return Task.CompletedTask;
            }));
    }

    /// <summary>Hands the resource every http(s) endpoint of <paramref name="source"/> as services__{name}__{endpoint}__0, for service discovery.</summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResourceWithServiceDiscovery> source)
        where T : IResourceWithEnvironment
    {
        var resource = source.Resource;
        return builder
            .WithAnnotation(new ResourceRelationshipAnnotation(resource, "Reference"))
            .WithAnnotation(new EnvironmentCallbackAnnotation(ctx =>
            {
                foreach (var endpoint in resource.Annotations.OfType<EndpointAnnotation>().Where(e => e.UriScheme is "http" or "https"))
                {
                    ctx.EnvironmentVariables[$"services__{resource.Name}__{endpoint.Name}__0"] = new EndpointReference(resource, endpoint.Name);
                }
                return Task.CompletedTask;
            }));
    }

    /// <summary>Hands the resource one endpoint of another, as services__{name}__{endpoint}__0.</summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, EndpointReference endpoint)
        where T : IResourceWithEnvironment
        => builder
            .WithAnnotation(new ResourceRelationshipAnnotation(endpoint.Resource, "Reference"))
            .WithEnvironment($"services__{endpoint.Resource.Name}__{endpoint.EndpointName}__0", endpoint);

    /// <summary>Starts the resource only once <paramref name="dependency"/> is Running and Healthy; if it ends instead, this one fails to start.</summary>
    public static IResourceBuilder<T> WaitFor<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResource> dependency) where T : IResourceWithWaitSupport
        => builder.WithAnnotation(new WaitAnnotation(dependency.Resource, WaitType.WaitUntilHealthy));

    /// <summary>Starts the resource once <paramref name="dependency"/> is Running, healthy or not.</summary>
    public static IResourceBuilder<T> WaitForStart<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResource> dependency) where T : IResourceWithWaitSupport
        => builder.WithAnnotation(new WaitAnnotation(dependency.Resource, WaitType.WaitUntilStarted));

    /// <summary>Starts the resource once <paramref name="dependency"/> has finished with <paramref name="exitCode"/>.</summary>
    public static IResourceBuilder<T> WaitForCompletion<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResource> dependency, int exitCode = 0)
        where T : IResourceWithWaitSupport
        => builder.WithAnnotation(new WaitAnnotation(dependency.Resource, WaitType.WaitForCompletion, exitCode));

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, string? value) where T : IResourceWithEnvironment
        => builder.WithAnnotation(new EnvironmentCallbackAnnotation(name, () => value));

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, IValueProvider value) where T : IResourceWithEnvironment
        => builder.WithAnnotation(new EnvironmentCallbackAnnotation(ctx => { ctx.EnvironmentVariables[name] = value; return Task.CompletedTask; }));

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, IResourceBuilder<ParameterResource> parameter) where T : IResourceWithEnvironment
    {
        if (parameter.Resource.Secret)
        {
            builder.WithAnnotation(new SecretEnvironmentVariableAnnotation(name));
        }
        return builder.WithEnvironment(name, parameter.Resource);
    }

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, Action<EnvironmentCallbackContext> callback) where T : IResourceWithEnvironment
        => builder.WithAnnotation(new EnvironmentCallbackAnnotation(ctx => { callback(ctx); return Task.CompletedTask; }));

    public static IResourceBuilder<T> WithArgs<T>(this IResourceBuilder<T> builder, params string[] args) where T : IResourceWithArgs
        => builder.WithAnnotation(new CommandLineArgsCallbackAnnotation(list => { list.AddRange(args); return Task.CompletedTask; }));

    /// <summary>
    /// Adds (or changes) an http endpoint. <paramref name="port"/> is the stable public port; <paramref name="targetPort"/> the
    /// process's. With <paramref name="env"/>, the process gets its port in that variable and, as with Aspire, the endpoint
    /// stays out of ASPNETCORE_URLS: the process listens on it itself (e.g. HTTP/2 only, for gRPC).
    /// </summary>
    public static IResourceBuilder<T> WithHttpEndpoint<T>(this IResourceBuilder<T> builder, int? port = null, int? targetPort = null, string? name = null, string? env = null, bool isProxied = true)
        where T : IResourceWithEndpoints
        => builder.WithEndpoint(name ?? "http", "http", port, targetPort, env, isProxied);

    public static IResourceBuilder<T> WithHttpsEndpoint<T>(this IResourceBuilder<T> builder, int? port = null, int? targetPort = null, string? name = null, string? env = null, bool isProxied = true)
        where T : IResourceWithEndpoints
        => builder.WithEndpoint(name ?? "https", "https", port, targetPort, env, isProxied);

    private static IResourceBuilder<T> WithEndpoint<T>(this IResourceBuilder<T> builder, string name, string scheme, int? port, int? targetPort, string? env, bool isProxied)
        where T : IResourceWithEndpoints
    {
        var existing = builder.Resource.Annotations.OfType<EndpointAnnotation>().SingleOrDefault(e => e.Name == name);
        if (existing is null)
        {
            existing = new EndpointAnnotation(name, scheme, scheme == "https" ? "http" : "http");
            builder.WithAnnotation(existing);
        }
        existing.UriScheme = scheme;
        existing.Port = port ?? existing.Port;
        existing.TargetPort = targetPort ?? existing.TargetPort;
        existing.TargetPortEnvironmentVariable = env ?? existing.TargetPortEnvironmentVariable;
        existing.IsProxied = isProxied;
        return builder;
    }

    /// <summary>Marks every http(s) endpoint as reachable from outside (printed at start-up; public in a deployment).</summary>
    public static IResourceBuilder<T> WithExternalHttpEndpoints<T>(this IResourceBuilder<T> builder) where T : IResourceWithEndpoints
    {
        foreach (var e in builder.Resource.Annotations.OfType<EndpointAnnotation>().Where(e => e.UriScheme is "http" or "https"))
        {
            e.IsExternal = true;
        }
        return builder;
    }

    /// <summary>Probes <paramref name="path"/> on the endpoint; the resource is Healthy while it answers 2xx (or <paramref name="statusCode"/>).</summary>
    public static IResourceBuilder<T> WithHttpHealthCheck<T>(this IResourceBuilder<T> builder, string? path = null, int? statusCode = null, string? endpointName = null)
        where T : IResourceWithEndpoints
        => builder.WithAnnotation(new HttpHealthCheckAnnotation(path ?? "/", statusCode, endpointName ?? "http"));

    public static EndpointReference GetEndpoint<T>(this IResourceBuilder<T> builder, string name) where T : IResourceWithEndpoints
        => new(builder.Resource, name);
}
