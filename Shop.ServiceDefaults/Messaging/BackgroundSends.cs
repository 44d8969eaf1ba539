using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Shop.ServiceDefaults.Messaging;

/// <summary>
/// Hands messages that an HTTP request committed to its outbox to the broker without the response waiting for it
/// (<see cref="OutboxExtensions.CommitAsync{TDbContext}"/>). WolverineFx.EntityFrameworkCore's outbox sends when it is
/// flushed, and its flush waits for the broker's confirm; this starts the flush and lets the request go on.
/// </summary>
/// <remarks>
/// Once the transaction has committed, the messages are safe in the outbox: sending them is Wolverine's sending
/// agent's job (publish, broker confirm, outbox delete, retried on failure), and a crash before it finishes leaves
/// them in the outbox, which Wolverine's durability agent sends (<see cref="MessagingExtensions.OutboxStaleTime"/>). The client need not wait for that; a placed order's 202 used
/// to wait for two publishes, two confirms and two deletes, a third of the request at idle.
/// On shutdown this service waits for the sends it started (it stops before Wolverine, having been registered after
/// it), so a graceful stop leaves nothing for the next start.
/// </remarks>
public sealed partial class BackgroundSends(ILogger<BackgroundSends> logger) : IHostedService
{
    private readonly ConcurrentDictionary<Task, byte> _running = new();

    /// <summary>How long a stop waits for sends in flight; what is left stays in the outbox.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Sends in flight (for tests and diagnostics).</summary>
    public int Count => _running.Count;

    /// <summary>Starts <paramref name="send"/> (a message context's flush) on the thread pool and tracks it.</summary>
    /// <remarks>The trace context flows with the task: the sends stay in the request's trace.</remarks>
    public void Start(Func<Task> send)
    {
        var task = Task.Run(async () =>
        {
            try
            {
                await send();
            }
            catch (Exception ex)
            {
                // Still in the outbox: Wolverine's durability agent sends it on recovery.
                LogFlushFailed(logger, ex);
            }
        });
        _running.TryAdd(task, 0);
        // Removed when done; if it finished before it was added, the continuation runs at once and still removes it.
        task.ContinueWith(static (t, state) => ((ConcurrentDictionary<Task, byte>)state!).TryRemove(t, out _),
            _running, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => DrainAsync(DrainTimeout, cancellationToken);

    /// <summary>Waits (at most <paramref name="timeout"/>) for the sends in flight; logs what is left.</summary>
    public async Task DrainAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var pending = _running.Keys.ToArray();
        if (pending.Length == 0)
        {
            return;
        }
        try
        {
            // The tracked tasks never fault: Start catches and logs.
            await Task.WhenAll(pending).WaitAsync(timeout, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            LogDrainIncomplete(logger, _running.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Sending committed messages failed; they stay in the outbox and are sent on recovery")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping with {Count} committed sends still in flight; they stay in the outbox")]
    private static partial void LogDrainIncomplete(ILogger logger, int count);
}
