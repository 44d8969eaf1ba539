using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Net.Http.Headers;
using Shop.Contracts;
using StackExchange.Redis;

namespace Shop.Gateway.Caching;

/// <summary>
/// The gateway's own cache of public catalogue reads (the <c>products-read</c> route): a repeated read is answered
/// from this replica's memory, after authentication and rate limiting, without the hop to catalog.
/// </summary>
/// <remarks>
/// <para>
/// Never stale after a write: each entry is filed under catalog's version token (<see cref="CatalogVersion"/>), read
/// from Redis on every request. Catalog replaces the token after every committed product write, whichever way the
/// write came in (through the gateway or straight to a catalog replica), so from then on every gateway replica misses
/// and asks catalog again. Reading the token is one Redis round trip, far cheaper than a forwarded request.
/// </para>
/// <para>
/// Redis is an optimisation here too: when the token cannot be read within <see cref="VersionTimeout"/> (Redis down
/// or stalled), the request is forwarded uncached, and the replica leaves Redis alone for <see cref="BackOff"/> before
/// it tries again. Entries expire after
/// <see cref="TimeToLive"/>, which also bounds what the cache holds (at most <see cref="SizeLimit"/>).
/// </para>
/// <para>
/// An answer from this cache carries <c>X-Cache: hit</c> (as catalog's own cache hits do), <c>X-Edge-Cache: hit</c>
/// and an <c>Age</c>; a forwarded one carries <c>X-Edge-Cache: miss</c> and catalog's own <c>X-Cache</c>. A request
/// with <c>Cache-Control: no-cache</c> is always forwarded.
/// </para>
/// </remarks>
public sealed class CatalogEdgeCache : IOutputCachePolicy
{
    public const string PolicyName = "catalog-reads";
    public const string EdgeCacheHeader = "X-Edge-Cache";
    public static readonly TimeSpan TimeToLive = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan BackOff = TimeSpan.FromSeconds(5);
    /// <summary>The longest a read waits for the version token before it is forwarded uncached.</summary>
    public static readonly TimeSpan VersionTimeout = TimeSpan.FromMilliseconds(250);
    public const long SizeLimit = 16 * 1024 * 1024;

    private static readonly RedisKey VersionKey = CatalogVersion.RedisKey;

    private static readonly Microsoft.Extensions.Primitives.StringValues VersionHeaders = new(["api-version", HeaderNames.Accept]);

    // Environment.TickCount64 before which requests do not ask Redis for the version.
    private long _backOffUntil;

    public static void Configure(OutputCacheOptions options)
    {
        options.SizeLimit = SizeLimit;
        options.MaximumBodySize = 1024 * 1024;
        options.AddPolicy(PolicyName, new CatalogEdgeCache());
    }

    async ValueTask IOutputCachePolicy.CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var http = context.HttpContext;
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
        {
            return;
        }

        var version = await TryReadVersionAsync(http.RequestServices.GetRequiredService<IConnectionMultiplexer>());
        if (version is null)
        {
            return;
        }

        // A client that asks for a fresh answer (Cache-Control: no-cache, RFC 9111 §5.2.1.4) gets its own from catalog,
        // neither a stored one nor one fetched for a concurrent request; it still refreshes the entry. Rate limiting
        // has already counted the request.
        var fresh = http.Request.Headers.CacheControl.ToString().Contains("no-cache", StringComparison.OrdinalIgnoreCase);
        context.EnableOutputCaching = true;
        context.AllowCacheLookup = !fresh;
        context.AllowCacheStorage = true;
        // Otherwise concurrent misses of one key wait for the first instead of all going to catalog.
        context.AllowLocking = !fresh;
        context.ResponseExpirationTimeSpan = TimeToLive;
        context.CacheVaryByRules.QueryKeys = "*";
        // The API version may come in a header or the media type instead of the path (catalog's Asp.Versioning).
        context.CacheVaryByRules.HeaderNames = VersionHeaders;
        context.CacheVaryByRules.VaryByValues["catalog-version"] = version;

        var response = http.Response;
        response.OnStarting(static state =>
        {
            var response = (HttpResponse)state;
            // The output cache sets Age on the answers it serves from memory, and only on those.
            var hit = response.Headers.ContainsKey(HeaderNames.Age);
            response.Headers[EdgeCacheHeader] = hit ? "hit" : "miss";
            if (hit)
            {
                response.Headers["X-Cache"] = "hit";
            }
            return Task.CompletedTask;
        }, response);
    }

    ValueTask IOutputCachePolicy.ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => default;

    ValueTask IOutputCachePolicy.ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var response = context.HttpContext.Response;
        var cacheControl = response.Headers.CacheControl.ToString();
        // Only a plain success is kept: not an error, nothing that sets a cookie, nothing catalog marks as private.
        if (response.StatusCode != StatusCodes.Status200OK
            || response.Headers.ContainsKey(HeaderNames.SetCookie)
            || cacheControl.Contains("no-store", StringComparison.OrdinalIgnoreCase)
            || cacheControl.Contains("private", StringComparison.OrdinalIgnoreCase))
        {
            context.AllowCacheStorage = false;
        }
        return default;
    }

    private async Task<string?> TryReadVersionAsync(IConnectionMultiplexer redis)
    {
        if (Environment.TickCount64 < Interlocked.Read(ref _backOffUntil) || !redis.IsConnected)
        {
            return null;
        }

        try
        {
            var version = await redis.GetDatabase().StringGetAsync(VersionKey).WaitAsync(VersionTimeout);
            // No token yet: catalog sets one on its first read; until then nothing is cached here.
            return version.IsNull ? null : version.ToString();
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException or TimeoutException)
        {
            Interlocked.Exchange(ref _backOffUntil, Environment.TickCount64 + (long)BackOff.TotalMilliseconds);
            return null;
        }
    }
}
