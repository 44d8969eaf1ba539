using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text.Json;
using StackExchange.Redis;

namespace Shop.Catalog.Caching;

/// <summary>
/// Read-through cache of product reads in Redis, shared by every catalog replica, invalidated on every write.
/// </summary>
/// <remarks>
/// <para>
/// Every entry key embeds the catalogue's current version, a random token stored at <c>catalog:version</c>. A write
/// commits to PostgreSQL first and then replaces the token, so from then on every replica reads under a key no entry
/// exists for yet and fills it from the database: a changed price shows on the very next read, lists included.
/// Entries of older versions are never read again and expire after <see cref="EntryTimeToLive"/>. A random token rather
/// than an INCR counter: should the version key be evicted or lost, a counter would restart and meet old entries again.
/// </para>
/// <para>
/// Redis is an optimisation, never a dependency of a read: any Redis failure falls through to the database. Commands
/// fail fast while disconnected and time out after a second otherwise (<see cref="ConfigureConnection"/>); after a
/// failure, reads leave Redis alone for <see cref="BackOff"/>, so a hung Redis slows one read every few seconds rather
/// than every read. A write that cannot replace the token (Redis unreachable) leaves this replica bypassing the cache
/// until it has, which it retries before its next cache access and as soon as the connection comes back.
/// </para>
/// </remarks>
public sealed partial class CatalogCache
{
    public const string MeterName = "Shop.Catalog";
    public const string ProductCache = "product";
    public const string ListCache = "list";
    public const string CacheHeader = "X-Cache";

    public static readonly TimeSpan EntryTimeToLive = TimeSpan.FromMinutes(5);

    /// <summary>After a Redis failure, reads skip the cache this long instead of each waiting for its own timeout.</summary>
    public static readonly TimeSpan BackOff = TimeSpan.FromSeconds(5);

    private static readonly RedisKey VersionKey = Shop.Contracts.CatalogVersion.RedisKey;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly IConnectionMultiplexer _redis;
    private readonly ILogger<CatalogCache> _logger;
    private readonly Counter<long> _hits;
    private readonly Counter<long> _misses;

    // Writes of this replica whose invalidation is not known to have reached Redis; while non-zero the cache is bypassed.
    private long _pendingInvalidations;
    // 1 after a Redis failure, so an outage logs one warning rather than one per request.
    private int _degraded;
    // Environment.TickCount64 before which reads do not try Redis.
    private long _backOffUntil;

    public CatalogCache(IConnectionMultiplexer redis, IMeterFactory meterFactory, ILogger<CatalogCache> logger)
    {
        _redis = redis;
        _logger = logger;
        var meter = meterFactory.Create(MeterName);
        _hits = meter.CreateCounter<long>("catalog.cache.hits", description: "Product reads answered from Redis.");
        _misses = meter.CreateCounter<long>("catalog.cache.misses", description: "Product reads answered from PostgreSQL.");
        _redis.ConnectionRestored += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Interactive)
            {
                _ = RetryPendingInvalidationAsync();
            }
        };
    }

    /// <summary>
    /// Short timeouts for the shared multiplexer: a slow or absent Redis must cost a read little, and while
    /// disconnected commands fail at once instead of queueing until they time out.
    /// </summary>
    public static void ConfigureConnection(ConfigurationOptions options)
    {
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ConnectTimeout = 2000;
        options.SyncTimeout = 1000;
        options.AsyncTimeout = 1000;
    }

    /// <summary>
    /// Returns the entry <paramref name="key"/> of <paramref name="cache"/> (<see cref="ProductCache"/> or
    /// <see cref="ListCache"/>) for the current catalogue version, or loads it with <paramref name="load"/> and stores it.
    /// A null from <paramref name="load"/> (not found) is returned and not stored. Exceptions from <paramref name="load"/>
    /// propagate; Redis failures do not.
    /// </summary>
    public async Task<Cached<T>> GetOrLoadAsync<T>(
        string cache, string key, Func<CancellationToken, Task<T?>> load, CancellationToken cancellationToken)
        where T : class
    {
        var tag = new KeyValuePair<string, object?>("cache", cache);
        var read = await TryReadAsync<T>(cache, key);
        if (read.Value is { } cached)
        {
            _hits.Add(1, tag);
            return new Cached<T>(cached, Hit: true);
        }

        _misses.Add(1, tag);
        var loaded = await load(cancellationToken);
        if (loaded is not null && read.Key is { } storeUnder)
        {
            TryStore(storeUnder, loaded);
        }
        return new Cached<T>(loaded, Hit: false);
    }

    /// <summary>Makes every cached read stale, in every replica. Call after the write has committed.</summary>
    public async Task InvalidateAsync()
    {
        Interlocked.Increment(ref _pendingInvalidations);
        if (!await TryReplaceVersionAsync())
        {
            LogInvalidationDeferred(_logger);
        }
    }

    /// <summary>
    /// Reads the entry; returns the key it lives under for the current version (null when Redis cannot be used now)
    /// and the value when there is one.
    /// </summary>
    private async Task<(RedisKey? Key, T? Value)> TryReadAsync<T>(string cache, string key) where T : class
    {
        if (Environment.TickCount64 < Interlocked.Read(ref _backOffUntil)
            || !_redis.IsConnected
            || (Interlocked.Read(ref _pendingInvalidations) > 0 && !await TryReplaceVersionAsync()))
        {
            return (null, null);
        }

        try
        {
            var db = _redis.GetDatabase();
            var version = await db.StringGetAsync(VersionKey);
            if (version.IsNull)
            {
                // First use, or the key was lost: a fresh token cannot match any entry left over from before.
                await db.StringSetAsync(VersionKey, NewVersion(), when: When.NotExists);
                version = await db.StringGetAsync(VersionKey);
            }

            RedisKey entryKey = $"catalog:{cache}:{version}:{key}";
            var value = await db.StringGetAsync(entryKey);
            MarkHealthy();
            return (entryKey, value.IsNull ? null : Deserialize<T>(value));
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            MarkDegraded(ex);
            return (null, null);
        }
    }

    private void TryStore<T>(RedisKey entryKey, T value)
    {
        try
        {
            // Fire and forget: the caller already has its answer and need not wait for Redis.
            _redis.GetDatabase().StringSet(
                entryKey, JsonSerializer.SerializeToUtf8Bytes(value, Json), EntryTimeToLive, flags: CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            MarkDegraded(ex);
        }
    }

    private T? Deserialize<T>(RedisValue value) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>((byte[])value!, Json);
        }
        catch (JsonException ex)
        {
            // Written by an older build with another shape: reload it from the database.
            LogUnreadableEntry(_logger, ex);
            return null;
        }
    }

    private async Task<bool> TryReplaceVersionAsync()
    {
        var covered = Interlocked.Read(ref _pendingInvalidations);
        try
        {
            await _redis.GetDatabase().StringSetAsync(VersionKey, NewVersion());
            // Only the writes counted before the token changed are covered; one that came in meanwhile stays pending.
            Interlocked.CompareExchange(ref _pendingInvalidations, 0, covered);
            MarkHealthy();
            return true;
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            MarkDegraded(ex);
            return false;
        }
    }

    private async Task RetryPendingInvalidationAsync()
    {
        if (Interlocked.Read(ref _pendingInvalidations) > 0 && await TryReplaceVersionAsync())
        {
            LogInvalidationCaughtUp(_logger);
        }
    }

    private static string NewVersion() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    private void MarkDegraded(Exception ex)
    {
        Interlocked.Exchange(ref _backOffUntil, Environment.TickCount64 + (long)BackOff.TotalMilliseconds);
        if (Interlocked.Exchange(ref _degraded, 1) == 0)
        {
            LogDegraded(_logger, ex);
        }
    }

    private void MarkHealthy()
    {
        if (Interlocked.Exchange(ref _degraded, 0) == 1)
        {
            LogRecovered(_logger);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis cache unavailable; product reads go to the database until it is back")]
    private static partial void LogDegraded(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis cache available again")]
    private static partial void LogRecovered(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not invalidate the product cache after a write; this replica bypasses the cache until it can")]
    private static partial void LogInvalidationDeferred(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deferred product cache invalidation done")]
    private static partial void LogInvalidationCaughtUp(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unreadable product cache entry ignored")]
    private static partial void LogUnreadableEntry(ILogger logger, Exception exception);
}

/// <summary>A read's result and whether Redis answered it.</summary>
public readonly record struct Cached<T>(T? Value, bool Hit)
{
    /// <summary>Tells the caller (and the system tests) where the answer came from: <c>X-Cache: hit|miss</c>.</summary>
    public void WriteHeader(HttpResponse response) => response.Headers[CatalogCache.CacheHeader] = Hit ? "hit" : "miss";
}
