namespace Microsoft.Extensions.Hosting;

/// <summary>Settings bound from <c>Aspire:StackExchange:Redis</c>, as in Aspire.</summary>
public sealed class RedisClientSettings
{
    /// <summary>Taken from <c>ConnectionStrings:{name}</c> when that is set.</summary>
    public string? ConnectionString { get; set; }

    public bool DisableHealthChecks { get; set; }

    /// <summary>How long the health check may take before it reports Unhealthy.</summary>
    public TimeSpan HealthCheckTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
