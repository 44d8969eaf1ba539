using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// Keeps the recent console output of every resource and streams it to watchers (Aspire's ResourceLoggerService).
/// Bounded per resource: the oldest lines are dropped first.
/// </summary>
public sealed class ResourceLoggerService(int maxLinesPerResource = 10_000)
{
    private readonly ConcurrentDictionary<string, ResourceLog> _logs = new(StringComparer.Ordinal);

    private ResourceLog Get(string resourceName) => _logs.GetOrAdd(resourceName, _ => new ResourceLog(maxLinesPerResource));

    /// <summary>Appends one line of output to the resource's log.</summary>
    public void Write(string resourceName, string content, bool isError = false) => Get(resourceName).Append(content, isError);

    /// <summary>The lines kept for the resource now.</summary>
    public IReadOnlyList<LogLine> GetLines(string resourceName) => Get(resourceName).Snapshot();

    /// <summary>The last <paramref name="count"/> lines, e.g. to explain why a resource exited.</summary>
    public IReadOnlyList<LogLine> GetTail(string resourceName, int count)
    {
        var lines = GetLines(resourceName);
        return lines.Count <= count ? lines : [.. lines.Skip(lines.Count - count)];
    }

    /// <summary>Streams what is kept now as a first batch, then each new batch of lines, until cancelled.</summary>
    public async IAsyncEnumerable<IReadOnlyList<LogLine>> WatchAsync(string resourceName, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var log = Get(resourceName);
        var channel = Channel.CreateUnbounded<LogLine>(new UnboundedChannelOptions { SingleReader = true });
        var backlog = log.Subscribe(channel);
        try
        {
            if (backlog.Count > 0)
            {
                yield return backlog;
            }
            while (await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var batch = new List<LogLine>();
                while (batch.Count < 1000 && channel.Reader.TryRead(out var line))
                {
                    batch.Add(line);
                }
                yield return batch;
            }
        }
        finally
        {
            log.Unsubscribe(channel);
        }
    }

    private sealed class ResourceLog(int max)
    {
        private readonly Queue<LogLine> _lines = new();
        private readonly List<Channel<LogLine>> _subscribers = [];
        private readonly Lock _gate = new();
        private long _next = 1;

        public void Append(string content, bool isError)
        {
            lock (_gate)
            {
                var line = new LogLine(_next++, DateTimeOffset.UtcNow, content, isError);
                _lines.Enqueue(line);
                while (_lines.Count > max)
                {
                    _lines.Dequeue();
                }
                foreach (var s in _subscribers)
                {
                    s.Writer.TryWrite(line);
                }
            }
        }

        public IReadOnlyList<LogLine> Snapshot()
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }

        public IReadOnlyList<LogLine> Subscribe(Channel<LogLine> channel)
        {
            lock (_gate)
            {
                _subscribers.Add(channel);
                return [.. _lines];
            }
        }

        public void Unsubscribe(Channel<LogLine> channel)
        {
            lock (_gate)
            {
                _subscribers.Remove(channel);
            }
        }
    }
}
