using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Shop.Catalog.Data;

/// <summary>
/// Applies EF Core migrations and the demo seed at start-up, and reports progress as the <c>migrations</c>
/// health check: Unhealthy until both are done, so <c>/health</c> (and the AppHost's WaitFor) holds traffic back.
/// </summary>
/// <remarks>
/// On failure the service keeps running and stays Unhealthy with the error rather than exiting: the execution
/// strategy has already retried transient faults, the error stays visible on <c>/health</c>, in the log and in the
/// trace, and the readiness gate keeps callers away, while <c>/alive</c> stays up for diagnosis.
/// </remarks>
public sealed partial class CatalogDbInitializer(IServiceScopeFactory scopeFactory, ILogger<CatalogDbInitializer> logger)
    : BackgroundService, IHealthCheck
{
    public const string ActivitySourceName = "Shop.Catalog.Migrations";

    // Any constant works as long as every replica uses the same one; this spells "catalog" in ASCII.
    private const long MigrationLockKey = 0x636174616c6f67;

    private static readonly ActivitySource ActivitySource = new(ActivitySourceName);

    private volatile bool _completed;
    private volatile Exception? _failure;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            _completed ? HealthCheckResult.Healthy("Migrations applied and catalogue seeded.")
            : _failure is { } failure ? HealthCheckResult.Unhealthy($"Migration failed: {failure.Message}", failure)
            : HealthCheckResult.Unhealthy("Migrations are still being applied."));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var activity = ActivitySource.StartActivity("Migrate catalog database", ActivityKind.Internal);
        try
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
            var strategy = db.Database.CreateExecutionStrategy();
            var seeded = await strategy.ExecuteAsync(ct => MigrateAndSeedAsync(db, ct), stoppingToken);

            activity?.SetTag("catalog.seeded_products", seeded);
            LogCompleted(logger, seeded);
            _completed = true;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down before the database was ready: nothing to report.
        }
        catch (Exception ex)
        {
            activity?.AddException(ex);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            LogFailed(logger, ex);
            _failure = ex;
        }
    }

    private static async Task<int> MigrateAndSeedAsync(CatalogDbContext db, CancellationToken cancellationToken)
    {
        // A retried attempt must not re-insert what a failed attempt left in the change tracker.
        db.ChangeTracker.Clear();

        // Replicas start together: a session-level advisory lock lets one migrate and seed while the others wait and
        // then find nothing to do. Unpooled, so disposing the connection ends the session and always frees the lock.
        var lockConnectionString = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false };
        await using var lockConnection = new NpgsqlConnection(lockConnectionString.ConnectionString);
        await lockConnection.OpenAsync(cancellationToken);
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", lockConnection))
        {
            command.Parameters.AddWithValue("key", MigrationLockKey);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await db.Database.MigrateAsync(cancellationToken);
        return await CatalogSeed.SeedAsync(db, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Catalog database migrated; {SeededProducts} products seeded")]
    private static partial void LogCompleted(ILogger logger, int seededProducts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Catalog database migration failed; the service stays Unhealthy")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
