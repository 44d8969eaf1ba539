using System.Collections.Immutable;
using Aspire.Hosting.ApplicationModel;

namespace Shop.AppHost.Dashboard;

/// <summary>
/// One circuit's live view of the resources: a single <see cref="ResourceNotificationService.WatchAsync"/> subscription
/// shared by the header and the pages of that circuit, cancelled when the circuit's scope is disposed.
/// </summary>
public sealed class ResourceWatcher : IAsyncDisposable
{
    private readonly ResourceNotificationService _notifications;
    private readonly CancellationTokenSource _cts = new();
    private ImmutableDictionary<string, ResourceSnapshot> _byName;
    private Task? _loop;

    public ResourceWatcher(ResourceNotificationService notifications)
    {
        _notifications = notifications;
        Resources = notifications.GetSnapshots();
        _byName = Resources.ToImmutableDictionary(s => s.Name, StringComparer.Ordinal);
    }

    /// <summary>Raised on a thread-pool thread after any resource changed; handlers marshal with InvokeAsync.</summary>
    public event Action? Changed;

    /// <summary>The latest snapshots, in declaration order (as <see cref="ResourceNotificationService.GetSnapshots"/>).</summary>
    public IReadOnlyList<ResourceSnapshot> Resources { get; private set; }

    public ResourceSnapshot? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>
    /// Starts following changes. Called from OnAfterRender, which only runs in a live circuit, so prerendering
    /// never opens a subscription that nobody would dispose in time.
    /// </summary>
    public void EnsureWatching() => _loop ??= WatchAsync(_cts.Token);

    private async Task WatchAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var evt in _notifications.WatchAsync(ct).ConfigureAwait(false))
            {
                // Immutable swap: the renderer may be enumerating the previous list on the circuit's thread.
                _byName = _byName.SetItem(evt.ResourceName, evt.Snapshot);
                Resources = [.. _byName.Values
                    .OrderBy(s => s.CreationTimeStamp)
                    .ThenBy(s => s.Name, StringComparer.Ordinal)];
                Changed?.Invoke();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }
        _cts.Dispose();
    }
}
