using System.Globalization;
using System.Security.Claims;
using StackExchange.Redis;

namespace Shop.Gateway.RateLimiting;

public sealed class RateLimitOptions
{
    public int WindowSeconds { get; set; } = 10;
    /// <summary>Requests per window for a signed-in user (partition: the token's subject).</summary>
    public int UserPermitLimit { get; set; } = 200;
    /// <summary>Requests per window for an anonymous client (partition: its IP address).</summary>
    public int AnonymousPermitLimit { get; set; } = 1000;
}

/// <summary>
/// A fixed-window limit whose counters live in Redis, so every gateway replica counts against the same budget.
/// Permits are claimed from Redis in blocks (<see cref="PermitLeases"/>): one atomic script per block adds the block to
/// the window's counter, sets its expiry on the first claim and returns both; the replica hands the block out locally.
/// If Redis cannot answer, requests pass (and the failure is logged): the limiter protects the services, it must
/// not become the reason they are unreachable.
/// </summary>
public sealed partial class RedisRateLimitMiddleware
{
    private const string Script = """
        local count = redis.call('INCRBY', KEYS[1], ARGV[2])
        if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        return { count, redis.call('PTTL', KEYS[1]) }
        """;

    private readonly RequestDelegate _next;
    private readonly Microsoft.Extensions.Options.IOptionsMonitor<RateLimitOptions> _options;
    private readonly ILogger<RedisRateLimitMiddleware> _logger;
    private readonly PermitLeases _leases;
    private long _lastSweepWindow;

    public RedisRateLimitMiddleware(RequestDelegate next, IConnectionMultiplexer redis,
        Microsoft.Extensions.Options.IOptionsMonitor<RateLimitOptions> options, ILogger<RedisRateLimitMiddleware> logger)
    {
        _next = next;
        _options = options;
        _logger = logger;
        _leases = new PermitLeases(async (key, block, windowMs, _) =>
        {
            var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(Script, [(RedisKey)key], [windowMs, block]))!;
            return new BlockClaim((long)result[0], (long)result[1]);
        });
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (IsProbe(context.Request.Path))
        {
            await _next(context);
            return;
        }
        var o = _options.CurrentValue;
        var (partition, limit) = context.User.FindFirstValue("sub") is { } sub
            ? ($"user:{sub}", o.UserPermitLimit)
            : ($"ip:{context.Connection.RemoteIpAddress}", o.AnonymousPermitLimit);
        var windowMs = o.WindowSeconds * 1000L;
        var window = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / windowMs;
        SweepEndedWindows(window);
        bool allowed;
        long ttlMs;
        try
        {
            (allowed, ttlMs) = await _leases.TryAcquireAsync($"gateway:ratelimit:{partition}:{window}", limit, windowMs, context.RequestAborted);
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException or TimeoutException)
        {
            LogRedisUnavailable(_logger, ex.Message);
            await _next(context);
            return;
        }

        context.Response.Headers["RateLimit-Policy"] = $"{limit};w={o.WindowSeconds}";
        if (allowed)
        {
            await _next(context);
            return;
        }
        var retryAfter = Math.Max(1, (int)Math.Ceiling((ttlMs > 0 ? ttlMs : windowMs) / 1000.0));
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        await Results.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too Many Requests",
            detail: $"The limit is {limit} requests per {o.WindowSeconds} s; try again in {retryAfter} s.").ExecuteAsync(context);
    }

    /// <summary>Once per window, forgets the leases of earlier windows (each key ends with its window's number).</summary>
    private void SweepEndedWindows(long window)
    {
        var last = Interlocked.Read(ref _lastSweepWindow);
        if (last == window || Interlocked.CompareExchange(ref _lastSweepWindow, window, last) != last)
        {
            return;
        }
        var suffix = $":{window}";
        _leases.Sweep(key => key.EndsWith(suffix, StringComparison.Ordinal));
    }

    private static bool IsProbe(PathString path) => path.StartsWithSegments("/health") || path.StartsWithSegments("/alive");

    [LoggerMessage(LogLevel.Warning, "Rate limiting is off while Redis does not answer: {Reason}")]
    private static partial void LogRedisUnavailable(ILogger logger, string reason);
}
