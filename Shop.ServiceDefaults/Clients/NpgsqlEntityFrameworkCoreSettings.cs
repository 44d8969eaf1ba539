namespace Microsoft.Extensions.Hosting;

/// <summary>Settings bound from <c>Aspire:Npgsql:EntityFrameworkCore:PostgreSQL[:TContext]</c>, as in Aspire.</summary>
public sealed class NpgsqlEntityFrameworkCoreSettings
{
    /// <summary>Taken from <c>ConnectionStrings:{name}</c> when that is set.</summary>
    public string? ConnectionString { get; set; }

    public bool DisableRetry { get; set; }

    public bool DisableHealthChecks { get; set; }

    /// <summary>Command timeout in seconds; Npgsql's default (30 s) when null.</summary>
    public int? CommandTimeout { get; set; }

    /// <summary>How long the health check may take before it reports Unhealthy.</summary>
    public TimeSpan HealthCheckTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
