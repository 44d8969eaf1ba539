using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Shop.ServiceDefaults.Clients;

/// <summary>Healthy when every connected Redis endpoint answers PING.</summary>
/// <remarks>Written here because AspNetCore.HealthChecks.Redis is not pinned in Directory.Packages.props.</remarks>
internal sealed class RedisHealthCheck(IConnectionMultiplexer connection) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // The multiplexer reconnects in the background; while it is down a PING would only wait for its own timeout.
        if (!connection.IsConnected)
        {
            var endpoints = string.Join(", ", connection.GetEndPoints().Select(e => e.ToString()));
            return new HealthCheckResult(context.Registration.FailureStatus, $"Redis is not connected ({endpoints}).");
        }

        try
        {
            var latency = await connection.GetDatabase().PingAsync().WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy($"PING answered in {latency.TotalMilliseconds:F1} ms.");
        }
        catch (Exception ex)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"Redis PING failed: {ex.Message}", ex);
        }
    }
}
