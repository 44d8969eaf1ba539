using System.Collections.Immutable;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>Resource state names, as Aspire's KnownResourceStates spells them.</summary>
public static class KnownResourceStates
{
    public const string NotStarted = nameof(NotStarted);
    public const string Waiting = nameof(Waiting);
    public const string Starting = nameof(Starting);
    public const string Running = nameof(Running);
    public const string RuntimeUnhealthy = nameof(RuntimeUnhealthy);
    public const string Stopping = nameof(Stopping);
    public const string Exited = nameof(Exited);
    public const string Finished = nameof(Finished);
    public const string FailedToStart = nameof(FailedToStart);

    public static readonly ImmutableArray<string> TerminalStates = [Exited, Finished, FailedToStart];

    public static bool IsTerminal(string? state) => state is not null && TerminalStates.Contains(state);
}

/// <summary>Health of a running resource; null in a snapshot unless the resource is Running.</summary>
public enum ResourceHealthStatus { Unhealthy, Degraded, Healthy }

/// <summary>An endpoint as a URL a person can open.</summary>
public sealed record UrlSnapshot(string Name, string Url, bool IsInternal);

/// <summary>One process behind a resource (a replica).</summary>
public sealed record ReplicaSnapshot(string Name, int? ProcessId, string State, int? ExitCode, string? TargetUrl);

/// <summary>An environment variable handed to a resource; secrets are flagged so a UI masks them.</summary>
public sealed record EnvironmentVariableSnapshot(string Name, string? Value, bool IsSecret);

/// <summary>The result of one health check against a resource.</summary>
public sealed record HealthReportSnapshot(string Name, ResourceHealthStatus? Status, string? Description, DateTimeOffset? LastRun);

/// <summary>
/// An immutable view of a resource at one moment, as Aspire's CustomResourceSnapshot: every change publishes a new one.
/// </summary>
public sealed record ResourceSnapshot
{
    public required string Name { get; init; }
    public required string ResourceType { get; init; }
    public string State { get; init; } = KnownResourceStates.NotStarted;
    public ResourceHealthStatus? HealthStatus { get; init; }
    public ImmutableArray<HealthReportSnapshot> HealthReports { get; init; } = [];
    public DateTimeOffset? CreationTimeStamp { get; init; }
    public DateTimeOffset? StartTimeStamp { get; init; }
    public DateTimeOffset? StopTimeStamp { get; init; }
    public int? ExitCode { get; init; }
    public ImmutableArray<UrlSnapshot> Urls { get; init; } = [];
    public ImmutableArray<ReplicaSnapshot> Replicas { get; init; } = [];
    public ImmutableArray<EnvironmentVariableSnapshot> EnvironmentVariables { get; init; } = [];
    public ImmutableArray<string> WaitsFor { get; init; } = [];
    /// <summary>Why the resource is where it is, in words (e.g. "waiting for postgres", "exit code 1").</summary>
    public string? StateDescription { get; init; }
}

/// <summary>A resource's snapshot changed.</summary>
public sealed record ResourceEvent(string ResourceName, ResourceSnapshot Snapshot);
