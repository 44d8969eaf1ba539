using System.Diagnostics;
using Shop.AppHost.Dashboard.Telemetry;

namespace Shop.AppHost.Dashboard.Components.Telemetry;

/// <summary>
/// A component's live view of the telemetry store: calls <c>refresh</c> after the store changed in one of the given
/// ways, at most once per interval (the receiver raises a change per batch, which can be hundreds a second under
/// load). The first change after a quiet spell refreshes at once; a burst collapses into one refresh at the end of
/// the interval. <c>refresh</c> runs on a thread-pool thread: components marshal with InvokeAsync. Created from
/// OnAfterRender so prerendering never subscribes; disposed with the component.
/// </summary>
public sealed class TelemetryRefresh : IDisposable
{
    private readonly TelemetryRepository _repository;
    private readonly TelemetryChange _kinds;
    private readonly Func<Task> _refresh;
    private readonly TimeSpan _interval;
    private int _scheduled;
    private long _last;
    private volatile bool _disposed;

    public TelemetryRefresh(TelemetryRepository repository, TelemetryChange kinds, Func<Task> refresh, TimeSpan? interval = null)
    {
        _repository = repository;
        _kinds = kinds;
        _refresh = refresh;
        _interval = interval ?? TimeSpan.FromMilliseconds(500);
        _repository.Changed += OnChanged;
    }

    private void OnChanged(TelemetryChange change)
    {
        if (_disposed || (change & _kinds) == 0 || Interlocked.Exchange(ref _scheduled, 1) == 1)
        {
            return;
        }
        _ = RunAsync();
    }

    private async Task RunAsync()
    {
        try
        {
            var wait = _interval - Stopwatch.GetElapsedTime(Interlocked.Read(ref _last));
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait).ConfigureAwait(false);
            }
            // Changes from here on schedule the next refresh; this one reads the store as it is now.
            Interlocked.Exchange(ref _last, Stopwatch.GetTimestamp());
            Volatile.Write(ref _scheduled, 0);
            if (!_disposed)
            {
                await _refresh().ConfigureAwait(false);
            }
        }
        catch (ObjectDisposedException) when (_disposed)
        {
            // The circuit went away while a refresh was pending.
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _repository.Changed -= OnChanged;
    }
}
