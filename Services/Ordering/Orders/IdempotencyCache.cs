using StackExchange.Redis;

namespace Shop.Ordering.Orders;

/// <summary>
/// Redis as the fast path of idempotency: the fingerprint of a key already answered (so a replay costs no database
/// read), and a short lock that tells a concurrent duplicate "still in progress" (409) instead of letting it race.
/// Never the source of truth: orderingdb is. Any Redis failure is logged and treated as "not cached" / "no lock".
/// </summary>
public sealed partial class IdempotencyCache(IConnectionMultiplexer redis, ILogger<IdempotencyCache> logger)
{
    public static readonly TimeSpan RecordLifetime = TimeSpan.FromHours(24);
    public static readonly TimeSpan LockLifetime = TimeSpan.FromSeconds(30);

    public sealed record Entry(Guid OrderId, string Fingerprint);

    public async Task<Entry?> GetAsync(Guid customerId, string key)
    {
        try
        {
            var value = await redis.GetDatabase().StringGetAsync(RecordKey(customerId, key));
            if (value.IsNullOrEmpty || value.ToString().Split(':') is not [var id, var fingerprint] || !Guid.TryParse(id, out var orderId))
            {
                return null;
            }
            return new Entry(orderId, fingerprint);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            LogRedisFailed(logger, ex);
            return null;
        }
    }

    public async Task SetAsync(Guid customerId, string key, Entry entry)
    {
        try
        {
            await redis.GetDatabase().StringSetAsync(RecordKey(customerId, key), $"{entry.OrderId:N}:{entry.Fingerprint}", RecordLifetime);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            LogRedisFailed(logger, ex);
        }
    }

    /// <summary>True when this request may go ahead (lock taken, or Redis unreachable: the database still keeps one order per key).</summary>
    public async Task<bool> TryLockAsync(Guid customerId, string key, string owner)
    {
        try
        {
            return await redis.GetDatabase().StringSetAsync(LockKey(customerId, key), owner, LockLifetime, When.NotExists);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            LogRedisFailed(logger, ex);
            return true;
        }
    }

    public async Task UnlockAsync(Guid customerId, string key, string owner)
    {
        try
        {
            // Only our own lock: compare and delete in one step.
            await redis.GetDatabase().ScriptEvaluateAsync(
                "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end",
                [LockKey(customerId, key)], [owner]);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            LogRedisFailed(logger, ex);
        }
    }

    /// <summary>
    /// Redis down or too slow. A timeout is not a <see cref="RedisException"/> (<see cref="RedisTimeoutException"/>
    /// derives from <see cref="TimeoutException"/>): a stalled Redis under load answered POST /orders with a 500.
    /// </summary>
    private static bool IsRedisFailure(Exception ex) => ex is RedisException or TimeoutException;

    private static RedisKey RecordKey(Guid customerId, string key) => $"ordering:idem:{customerId:N}:{key}";

    private static RedisKey LockKey(Guid customerId, string key) => $"ordering:idem-lock:{customerId:N}:{key}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis unavailable for idempotency keys; falling back to the database")]
    private static partial void LogRedisFailed(ILogger logger, Exception exception);
}
