using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Shop.Inventory.Data;

/// <summary>
/// Applies the EF Core migrations and the demo stock at start-up and is the <c>migrations</c> health check: Unhealthy
/// until both are done, so <c>/health</c> (and the AppHost's WaitFor) keeps traffic away from a half-made schema.
/// </summary>
/// <remarks>
/// A failure does not stop the process: transient faults were already retried by the execution strategy, so the
/// service stays up, Unhealthy, with the error on <c>/health</c>, in the log and on the trace; <c>/alive</c> still
/// answers for diagnosis.
/// </remarks>
public sealed partial class InventoryDbInitializer(IServiceScopeFactory scopeFactory, ILogger<InventoryDbInitializer> logger)
    : BackgroundService, IHealthCheck
{
    public const string ActivitySourceName = "Shop.Inventory.Migrations";

    // Shared by every replica; the value is "invntry" in ASCII, distinct from the other services' keys.
    private const long MigrationLockKey = 0x696e766e747279;

    private static readonly ActivitySource ActivitySource = new(ActivitySourceName);

    private volatile bool _done;
    private volatile Exception? _error;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_done
            ? HealthCheckResult.Healthy("Migrations applied and stock seeded.")
            : _error is { } error
                ? HealthCheckResult.Unhealthy($"Migration failed: {error.Message}", error)
                : HealthCheckResult.Unhealthy("Migrations are still being applied."));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var activity = ActivitySource.StartActivity("Migrate inventory database");
        try
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<InventoryDbContext>();
            var seeded = await db.Database.CreateExecutionStrategy()
                .ExecuteAsync(ct => MigrateAndSeedAsync(db, ct), stoppingToken);

            activity?.SetTag("inventory.seeded_stock_items", seeded);
            LogDone(logger, seeded);
            _done = true;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped before the database was ready; nothing to report.
        }
        catch (Exception ex)
        {
            activity?.AddException(ex);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            LogFailed(logger, ex);
            _error = ex;
        }
    }

    private static async Task<int> MigrateAndSeedAsync(InventoryDbContext db, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();

        // Replicas start together. A session advisory lock lets the first migrate and seed while the others wait, then
        // find nothing left to do. The lock connection is unpooled: closing it ends the session, which frees the lock
        // even when this attempt fails.
        var builder = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false };
        await using var lockConnection = new NpgsqlConnection(builder.ConnectionString);
        await lockConnection.OpenAsync(cancellationToken);
        await using (var takeLock = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", lockConnection))
        {
            takeLock.Parameters.AddWithValue("key", MigrationLockKey);
            await takeLock.ExecuteNonQueryAsync(cancellationToken);
        }

        await db.Database.MigrateAsync(cancellationToken);
        return await InventorySeed.SeedAsync(db, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Inventory database migrated; {SeededStockItems} stock rows seeded")]
    private static partial void LogDone(ILogger logger, int seededStockItems);

    [LoggerMessage(Level = LogLevel.Error, Message = "Inventory database migration failed; the service stays Unhealthy")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
