namespace Aspire.Hosting.ApplicationModel;

/// <summary>A network endpoint of a resource. <see cref="Port"/> is the stable, public port (the proxy's);
/// <see cref="TargetPort"/> is where the process listens. Either may be null and is then allocated.</summary>
public sealed class EndpointAnnotation(string name, string uriScheme = "http", string transport = "http", int? port = null, int? targetPort = null, bool isProxied = true)
    : IResourceAnnotation
{
    public string Name { get; } = name;
    public string UriScheme { get; set; } = uriScheme;
    public string Transport { get; set; } = transport;
    public int? Port { get; set; } = port;
    public int? TargetPort { get; set; } = targetPort;
    public bool IsProxied { get; set; } = isProxied;
    public bool IsExternal { get; set; }
    /// <summary>The environment variable that tells the process its port (e.g. PORT), if any.</summary>
    public string? TargetPortEnvironmentVariable { get; set; }

    /// <summary>Set by the runtime once the port is known.</summary>
    public AllocatedEndpoint? AllocatedEndpoint { get; set; }
}

public sealed record AllocatedEndpoint(EndpointAnnotation Endpoint, string Address, int Port)
{
    public string UriString => $"{Endpoint.UriScheme}://{Address}:{Port}";
    public override string ToString() => UriString;
}

/// <summary>Refers to an endpoint of a resource; its URL is known only once the runtime allocated the port.</summary>
public sealed class EndpointReference(IResourceWithEndpoints resource, string endpointName) : IValueProvider, IManifestExpressionProvider
{
    public IResourceWithEndpoints Resource { get; } = resource;
    public string EndpointName { get; } = endpointName;

    public EndpointAnnotation Endpoint => Resource.Annotations.OfType<EndpointAnnotation>().SingleOrDefault(e => e.Name == EndpointName)
        ?? throw new InvalidOperationException($"Resource '{Resource.Name}' has no endpoint named '{EndpointName}'.");

    public bool IsAllocated => Endpoint.AllocatedEndpoint is not null;

    private AllocatedEndpoint Allocated => Endpoint.AllocatedEndpoint
        ?? throw new InvalidOperationException($"The endpoint '{EndpointName}' of '{Resource.Name}' is not allocated yet.");

    public string Url => Allocated.UriString;
    public string Host => Allocated.Address;
    public int Port => Allocated.Port;

    public ValueTask<string?> GetValueAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<string?>(Url);

    public string ValueExpression => $"{{{Resource.Name}.bindings.{EndpointName}.url}}";
}
