using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aspire.Hosting;

/// <summary>Builds the app model: every server, database and project, and how they refer to each other.</summary>
public interface IDistributedApplicationBuilder
{
    ConfigurationManager Configuration { get; }
    IHostEnvironment Environment { get; }
    IServiceCollection Services { get; }
    IResourceCollection Resources { get; }
    DistributedApplicationExecutionContext ExecutionContext { get; }
    /// <summary>The folder of the AppHost project; state and paths are relative to it.</summary>
    string AppHostDirectory { get; }

    IResourceBuilder<T> AddResource<T>(T resource) where T : IResource;
    IResourceBuilder<T> CreateResourceBuilder<T>(T resource) where T : IResource;
    DistributedApplication Build();
}

/// <summary>Lets the runtime read the options a builder was created with, whichever builder it is.</summary>
internal interface IDistributedApplicationOptionsAccessor
{
    DistributedApplicationOptions Options { get; }
}

public interface IResourceCollection : IEnumerable<IResource>
{
    int Count { get; }
}

internal sealed class ResourceCollection : IResourceCollection
{
    private readonly List<IResource> _resources = [];

    public int Count => _resources.Count;

    public void Add(IResource resource)
    {
        if (_resources.Any(r => string.Equals(r.Name, resource.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new DistributedApplicationException($"Cannot add resource '{resource.Name}': a resource of that name already exists.");
        }
        _resources.Add(resource);
    }

    public IEnumerator<IResource> GetEnumerator() => _resources.GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>The app model is wrong (a cycle, a duplicate name, a missing parameter), or a resource could not run.</summary>
public sealed class DistributedApplicationException(string message, Exception? inner = null) : Exception(message, inner);
