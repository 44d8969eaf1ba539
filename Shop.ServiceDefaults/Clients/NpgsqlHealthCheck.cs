using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Shop.ServiceDefaults.Clients;

/// <summary>Healthy when PostgreSQL accepts a connection and answers <c>SELECT 1</c>.</summary>
/// <remarks>Written here because AspNetCore.HealthChecks.NpgSql on our feed is the 2019 version.</remarks>
internal sealed class NpgsqlHealthCheck(string connectionString) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // Npgsql pools by connection string, so this reuses the application's pooled connections.
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"PostgreSQL is unreachable: {ex.Message}", ex);
        }
    }
}
