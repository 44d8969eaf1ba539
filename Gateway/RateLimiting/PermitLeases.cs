using System.Collections.Concurrent;

namespace Shop.Gateway.RateLimiting;

/// <summary>What the shared counter answered to a claim of permits: the window's count after it, and the window's time left.</summary>
public readonly record struct BlockClaim(long CountAfter, long TtlMs);

/// <summary>
/// Permits a replica has claimed from the shared (Redis) counter of a fixed window and not yet handed out. Instead of one
/// counter update per request, a replica claims a block of permits at once and spends them locally, so Redis sees one
/// request in <see cref="BlockSize"/>. Every permit handed out was counted in Redis first, so all replicas together never
/// admit more than the limit; the cost is that permits a replica claimed but did not use are lost when the window ends
/// (at most <c>BlockSize - 1</c> per replica and partition).
/// </summary>
public sealed class PermitLeases(Func<string, long, long, CancellationToken, Task<BlockClaim>> claim)
{
    private readonly ConcurrentDictionary<string, Lease> _leases = new();

    /// <summary>Permits claimed per trip to Redis: 1 for small limits (exact), at most 100 (1 % of requests reach Redis).</summary>
    public static int BlockSize(int limit) => Math.Clamp(limit / 50, 1, 100);

    /// <summary>Takes one permit for <paramref name="key"/> (a partition's counter in the current window).</summary>
    /// <returns>Whether the request may pass, and the window's time left (for <c>Retry-After</c>).</returns>
    public async Task<(bool Allowed, long TtlMs)> TryAcquireAsync(string key, int limit, long windowMs, CancellationToken cancellationToken)
    {
        var lease = _leases.GetOrAdd(key, static _ => new Lease());
        if (lease.TryTake(out var ttl))
        {
            return (true, ttl);
        }
        await lease.Refill.WaitAsync(cancellationToken);
        try
        {
            // Another request may have refilled (or found the window spent) while this one waited.
            if (lease.TryTake(out ttl))
            {
                return (true, ttl);
            }
            if (lease.Exhausted)
            {
                return (false, lease.RemainingTtlMs());
            }
            var block = BlockSize(limit);
            var answer = await claim(key, block, windowMs, cancellationToken);
            // The block covered counts (CountAfter - block, CountAfter]; only those up to the limit are permits.
            var granted = (int)Math.Clamp(limit - (answer.CountAfter - block), 0, block);
            lease.Grant(granted, answer.TtlMs > 0 ? answer.TtlMs : windowMs);
            return lease.TryTake(out ttl) ? (true, ttl) : (false, lease.RemainingTtlMs());
        }
        finally
        {
            lease.Refill.Release();
        }
    }

    /// <summary>Forgets the leases of windows that have ended (their keys name the window).</summary>
    public void Sweep(Func<string, bool> isCurrent)
    {
        foreach (var key in _leases.Keys)
        {
            if (!isCurrent(key))
            {
                _leases.TryRemove(key, out _);
            }
        }
    }

    public int Count => _leases.Count;

    private sealed class Lease
    {
        private readonly Lock _gate = new();
        private int _available;
        private long _windowEndsAt; // Environment.TickCount64 when Redis's key expires

        public SemaphoreSlim Refill { get; } = new(1, 1);

        /// <summary>Redis had no permit left for this window: every later request of the window is refused locally.</summary>
        public bool Exhausted { get; private set; }

        public bool TryTake(out long ttlMs)
        {
            lock (_gate)
            {
                ttlMs = Math.Max(0, _windowEndsAt - Environment.TickCount64);
                if (_available == 0)
                {
                    return false;
                }
                _available--;
                return true;
            }
        }

        public void Grant(int permits, long ttlMs)
        {
            lock (_gate)
            {
                _available += permits;
                _windowEndsAt = Environment.TickCount64 + ttlMs;
                Exhausted = permits == 0;
            }
        }

        public long RemainingTtlMs()
        {
            lock (_gate)
            {
                return Math.Max(0, _windowEndsAt - Environment.TickCount64);
            }
        }
    }
}
