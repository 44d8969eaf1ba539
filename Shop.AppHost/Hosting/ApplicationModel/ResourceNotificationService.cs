using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// Holds the latest snapshot of every resource and tells watchers of each change (Aspire's ResourceNotificationService).
/// </summary>
public sealed class ResourceNotificationService
{
    private readonly ConcurrentDictionary<string, ResourceSnapshot> _latest = new(StringComparer.Ordinal);
    private readonly List<Channel<ResourceEvent>> _watchers = [];
    private readonly Lock _gate = new();

    /// <summary>Every resource's current snapshot, in the order the model declared them.</summary>
    public IReadOnlyList<ResourceSnapshot> GetSnapshots()
    {
        lock (_gate)
        {
            return [.. _latest.Values.OrderBy(s => s.CreationTimeStamp).ThenBy(s => s.Name, StringComparer.Ordinal)];
        }
    }

    public bool TryGetCurrentState(string resourceName, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ResourceSnapshot? snapshot)
        => _latest.TryGetValue(resourceName, out snapshot);

    /// <summary>Applies <paramref name="update"/> to the resource's snapshot and tells every watcher.</summary>
    public ResourceSnapshot PublishUpdate(string resourceName, Func<ResourceSnapshot, ResourceSnapshot> update)
    {
        ResourceEvent evt;
        Channel<ResourceEvent>[] watchers;
        lock (_gate)
        {
            var current = _latest.TryGetValue(resourceName, out var s)
                ? s
                : throw new InvalidOperationException($"Unknown resource '{resourceName}'.");
            var next = update(current);
            _latest[resourceName] = next;
            evt = new ResourceEvent(resourceName, next);
            watchers = [.. _watchers];
        }
        foreach (var w in watchers)
        {
            w.Writer.TryWrite(evt);
        }
        return evt.Snapshot;
    }

    internal void Register(ResourceSnapshot initial)
    {
        lock (_gate)
        {
            _latest[initial.Name] = initial;
        }
    }

    /// <summary>Streams the current snapshot of every resource, then every change, until cancelled.</summary>
    public async IAsyncEnumerable<ResourceEvent> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateUnbounded<ResourceEvent>(new UnboundedChannelOptions { SingleReader = true });
        lock (_gate)
        {
            foreach (var s in _latest.Values.OrderBy(s => s.CreationTimeStamp).ThenBy(s => s.Name, StringComparer.Ordinal))
            {
                channel.Writer.TryWrite(new ResourceEvent(s.Name, s));
            }
            _watchers.Add(channel);
        }
        try
        {
            await foreach (var evt in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return evt;
            }
        }
        finally
        {
            lock (_gate)
            {
                _watchers.Remove(channel);
            }
        }
    }

    /// <summary>Waits until the resource satisfies <paramref name="predicate"/>, and returns that snapshot.</summary>
    public async Task<ResourceEvent> WaitForResourceAsync(string resourceName, Func<ResourceEvent, bool> predicate, CancellationToken cancellationToken = default)
    {
        await foreach (var evt in WatchAsync(cancellationToken).ConfigureAwait(false))
        {
            if (evt.ResourceName == resourceName && predicate(evt))
            {
                return evt;
            }
        }
        cancellationToken.ThrowIfCancellationRequested();
        throw new OperationCanceledException();
    }

    /// <summary>Waits until the resource reaches <paramref name="targetState"/> (or any terminal state, which is an error).</summary>
    public async Task<string> WaitForResourceAsync(string resourceName, string targetState, CancellationToken cancellationToken = default)
    {
        var evt = await WaitForResourceAsync(resourceName,
            e => e.Snapshot.State == targetState || KnownResourceStates.IsTerminal(e.Snapshot.State), cancellationToken).ConfigureAwait(false);
        if (evt.Snapshot.State != targetState)
        {
            throw new ResourceFailedException(evt.Snapshot);
        }
        return evt.Snapshot.State;
    }

    /// <summary>Waits until the resource is Running and Healthy; a resource that ends instead throws with its reason.</summary>
    public async Task<ResourceEvent> WaitForResourceHealthyAsync(string resourceName, CancellationToken cancellationToken = default)
    {
        var evt = await WaitForResourceAsync(resourceName,
            e => (e.Snapshot.State == KnownResourceStates.Running && e.Snapshot.HealthStatus == ResourceHealthStatus.Healthy)
                 || KnownResourceStates.IsTerminal(e.Snapshot.State), cancellationToken).ConfigureAwait(false);
        if (KnownResourceStates.IsTerminal(evt.Snapshot.State))
        {
            throw new ResourceFailedException(evt.Snapshot);
        }
        return evt;
    }
}

/// <summary>A resource ended (Exited, Finished, FailedToStart) while something waited for it.</summary>
public sealed class ResourceFailedException(ResourceSnapshot snapshot)
    : Exception($"Resource '{snapshot.Name}' is {snapshot.State}{(snapshot.ExitCode is { } c ? $" (exit code {c})" : "")}: {snapshot.StateDescription}")
{
    public ResourceSnapshot Snapshot { get; } = snapshot;
}
