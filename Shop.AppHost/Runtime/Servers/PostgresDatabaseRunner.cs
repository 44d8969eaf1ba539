using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Shop.AppHost.Runtime.Servers;

/// <summary>A database on the server: created once the server is healthy (it waits for it), kept across runs.</summary>
internal sealed class PostgresDatabaseRunner(PostgresDatabaseResource resource, RunnerContext context) : ResourceRunner(resource, context)
{
    public override async Task StartAsync(CancellationToken ct)
    {
        var server = await resource.Parent.GetConnectionStringAsync(ct).ConfigureAwait(false);
        await using var conn = new NpgsqlConnection($"{server};Database=postgres;Pooling=false");
        await conn.OpenAsync(ct).ConfigureAwait(false);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @n", conn);
        exists.Parameters.AddWithValue("n", resource.DatabaseName);
        if (await exists.ExecuteScalarAsync(ct).ConfigureAwait(false) is null)
        {
            // Identifiers cannot be parameters; quote it (doubling any quote) instead.
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{resource.DatabaseName.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", conn);
            await create.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            Log($"created database {resource.DatabaseName}");
        }
        else
        {
            Log($"database {resource.DatabaseName} exists");
        }
    }

    /// <summary>
    /// Healthy when the server answers and lists the database as accepting connections. Asked over the server check's
    /// own connection: one kept connection per database would be seven more idle backends for the same answer.
    /// </summary>
    public override Func<CancellationToken, Task<HealthCheckResult>> HealthCheck => async ct =>
    {
        var server = await resource.Parent.GetConnectionStringAsync(ct).ConfigureAwait(false);
        return await PostgresHealth.CheckAsync($"{server};Database=postgres", resource.DatabaseName, ct).ConfigureAwait(false);
    };

    public override Task StopAsync() => Task.CompletedTask;
}
