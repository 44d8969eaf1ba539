namespace Aspire.Hosting.ApplicationModel;

/// <summary>The resource waits for another before it starts.</summary>
public enum WaitType { WaitUntilHealthy, WaitForCompletion, WaitUntilStarted }

public sealed record WaitAnnotation(IResource Resource, WaitType WaitType, int ExitCode = 0) : IResourceAnnotation;

/// <summary>The resource refers to another (a connection string or service discovery entry is handed over).</summary>
public sealed record ResourceRelationshipAnnotation(IResource Resource, string Type) : IResourceAnnotation;

/// <summary>How many processes run behind the resource's endpoints.</summary>
public sealed record ReplicaAnnotation(int Replicas) : IResourceAnnotation;

/// <summary>The AppHost polls this path on the named endpoint; 2xx (or <see cref="StatusCode"/>) means healthy.</summary>
public sealed record HttpHealthCheckAnnotation(string Path, int? StatusCode, string EndpointName) : IResourceAnnotation;

/// <summary>Adds environment variables when the resource starts.</summary>
public sealed class EnvironmentCallbackAnnotation(Func<EnvironmentCallbackContext, Task> callback) : IResourceAnnotation
{
    public EnvironmentCallbackAnnotation(string name, Func<string?> value)
        : this(ctx => { ctx.EnvironmentVariables[name] = value() ?? ""; return Task.CompletedTask; })
    {
    }

    public Func<EnvironmentCallbackContext, Task> Callback { get; } = callback;
}

public sealed class EnvironmentCallbackContext(DistributedApplicationExecutionContext executionContext, IResource resource, CancellationToken cancellationToken = default)
{
    /// <summary>Values are strings or <see cref="IValueProvider"/>s resolved just before the process starts.</summary>
    public Dictionary<string, object> EnvironmentVariables { get; } = new(StringComparer.Ordinal);
    public DistributedApplicationExecutionContext ExecutionContext { get; } = executionContext;
    public IResource Resource { get; } = resource;
    public CancellationToken CancellationToken { get; } = cancellationToken;
}

/// <summary>Command-line arguments added when the resource starts.</summary>
public sealed class CommandLineArgsCallbackAnnotation(Func<List<object>, Task> callback) : IResourceAnnotation
{
    public Func<List<object>, Task> Callback { get; } = callback;
}

/// <summary>Marks an environment variable's value as a secret so that it is masked in the dashboard.</summary>
public sealed record SecretEnvironmentVariableAnnotation(string Name) : IResourceAnnotation;

public sealed class DistributedApplicationExecutionContext(DistributedApplicationOperation operation)
{
    public DistributedApplicationOperation Operation { get; } = operation;
    public bool IsRunMode => Operation == DistributedApplicationOperation.Run;
    public bool IsPublishMode => Operation == DistributedApplicationOperation.Publish;
}

public enum DistributedApplicationOperation { Run, Publish }
