using System.Collections.ObjectModel;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>Something the app model runs or refers to: a server, a database, a project, a parameter.</summary>
public interface IResource
{
    string Name { get; }
    ResourceAnnotationCollection Annotations { get; }
}

/// <summary>Marker for the facts attached to a resource (endpoints, references, waits, environment...).</summary>
public interface IResourceAnnotation;

public sealed class ResourceAnnotationCollection : Collection<IResourceAnnotation>;

public interface IResourceWithEnvironment : IResource;
public interface IResourceWithArgs : IResource;
public interface IResourceWithEndpoints : IResource;
public interface IResourceWithWaitSupport : IResource;

/// <summary>A resource whose HTTP endpoints other resources find through service discovery.</summary>
public interface IResourceWithServiceDiscovery : IResourceWithEndpoints;

/// <summary>A resource that lives inside another one (a database inside its server).</summary>
public interface IResourceWithParent : IResource
{
    IResource Parent { get; }
}

/// <summary>A resource other resources reach with a connection string, handed to them as ConnectionStrings__{name}.</summary>
public interface IResourceWithConnectionString : IResource, IValueProvider, IManifestExpressionProvider
{
    /// <summary>The connection string, resolved at run time (ports allocated, secrets generated).</summary>
    ValueTask<string?> GetConnectionStringAsync(CancellationToken cancellationToken = default);

    ValueTask<string?> IValueProvider.GetValueAsync(CancellationToken cancellationToken) => GetConnectionStringAsync(cancellationToken);

    string IManifestExpressionProvider.ValueExpression => $"{{{Name}.connectionString}}";

    /// <summary>The name under ConnectionStrings__ unless a reference overrides it.</summary>
    string ConnectionStringName => Name;
}

/// <summary>A value known only at run time: a parameter, an endpoint's URL, a connection string.</summary>
public interface IValueProvider
{
    ValueTask<string?> GetValueAsync(CancellationToken cancellationToken = default);
}

/// <summary>How a value is written in a deployment manifest, e.g. {postgres.connectionString}.</summary>
public interface IManifestExpressionProvider
{
    string ValueExpression { get; }
}

/// <summary>Base class with the plumbing every resource shares.</summary>
public abstract class Resource : IResource
{
    protected Resource(string name)
    {
        ResourceNameValidator.ThrowIfInvalid(name);
        Name = name;
    }

    public string Name { get; }

    public ResourceAnnotationCollection Annotations { get; } = [];

    /// <summary>The type shown in the dashboard ("Project", "Postgres", ...).</summary>
    public abstract string ResourceType { get; }

    public override string ToString() => $"{ResourceType} '{Name}'";
}

internal static class ResourceNameValidator
{
    // Aspire's rule: ASCII letters, digits and hyphens, starting with a letter, no double or trailing hyphen, max 64.
    public static void ThrowIfInvalid(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var ok = name.Length <= 64 && char.IsAsciiLetter(name[0]) && !name.EndsWith('-') && !name.Contains("--", StringComparison.Ordinal)
                 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
        if (!ok)
        {
            throw new ArgumentException(
                $"Resource name '{name}' is invalid: use ASCII letters, digits and single hyphens, start with a letter, at most 64 characters.", nameof(name));
        }
    }
}
