using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Shop.AppHost.Servers;

/// <summary>
/// The AppHost's check of the PostgreSQL server or one of its databases, over one kept connection to the server's
/// <c>postgres</c> database: <c>SELECT 1</c>, or whether the database exists and accepts connections. A new connection
/// for every check (every few seconds for each of eight resources) cost PostgreSQL a forked backend, a SCRAM exchange
/// and a cold catalogue cache each time: two thirds of its idle CPU. A kept connection that fails (the server restarted)
/// is dropped and the check asks once more on a fresh one, so a restart does not show as a false "unhealthy".
/// </summary>
internal sealed class PostgresHealthCheck(PostgresProcessResource server, string? database) : IHealthCheck
{
    /// <summary>Every check shares this pool's one connection (Npgsql pools by connection string).</summary>
    public const string ApplicationName = "apphost-health";

    private static volatile bool _stopping;

    /// <summary>
    /// The AppHost is stopping: let go of the kept connection. PostgreSQL stops on SIGTERM once its clients have left
    /// ("smart" shutdown), and the services are leaving too; a connection kept here would hold it until DCP kills it.
    /// </summary>
    public static void Release()
    {
        _stopping = true;
        NpgsqlConnection.ClearAllPools();
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var csb = new NpgsqlConnectionStringBuilder(await server.ConnectionStringExpression.GetValueAsync(cancellationToken).ConfigureAwait(false))
        {
            Database = "postgres", Timeout = 3, Pooling = !_stopping, MaxPoolSize = 1, ConnectionIdleLifetime = 60, ApplicationName = ApplicationName,
        };
        if (await TryAskAsync(csb.ConnectionString, cancellationToken).ConfigureAwait(false) is null)
        {
            return HealthCheckResult.Healthy();
        }
        NpgsqlConnection.ClearPool(new NpgsqlConnection(csb.ConnectionString));
        return await TryAskAsync(csb.ConnectionString, cancellationToken).ConfigureAwait(false) is { } again
            ? new HealthCheckResult(context.Registration.FailureStatus, again)
            : HealthCheckResult.Healthy();
    }

    /// <summary>Null when the server answered and the database (if any) accepts connections; otherwise why not.</summary>
    private async Task<string?> TryAskAsync(string connectionString, CancellationToken ct)
    {
        try
        {
            // A hard 3 s: a command that times out on a stalled server first waits for its cancellation request too.
            return await AskAsync(connectionString, ct).WaitAsync(TimeSpan.FromSeconds(3), ct).ConfigureAwait(false)
                ? null
                : $"database {database} does not exist or does not accept connections";
        }
        catch (TimeoutException)
        {
            return "no answer within 3 s";
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            return ex.Message;
        }
    }

    private async Task<bool> AskAsync(string connectionString, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync(ct).ConfigureAwait(false);
        await using var cmd = database is null
            ? new NpgsqlCommand("SELECT true", conn)
            : new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = @n AND datallowconn)", conn);
        if (database is not null)
        {
            cmd.Parameters.AddWithValue("n", database);
        }
        return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) is true;
    }
}
