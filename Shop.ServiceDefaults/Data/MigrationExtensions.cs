using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry.Trace;
using Microsoft.Extensions.Hosting;

namespace Shop.ServiceDefaults.Data;

/// <summary>What a service puts in its database once the schema is migrated (demo data, first keys, an admin).</summary>
public interface IDatabaseSeeder<in TContext> where TContext : DbContext
{
    /// <summary>Runs after the migrations, while the migration lock is held; must be idempotent. Returns what it did, for the log.</summary>
    Task<string> SeedAsync(TContext db, CancellationToken cancellationToken);
}

/// <summary>Whether the service's schema is migrated and seeded: background work that queries it waits for this.</summary>
public interface IDatabaseReadiness
{
    bool IsReady { get; }
}

public static class MigrationExtensions
{
    public const string ActivitySourceName = "Shop.Migrations";

    /// <summary>Migrations only, for a database whose rows all come from the service's work: nothing to seed.</summary>
    public static IHostApplicationBuilder AddMigrations<TContext>(this IHostApplicationBuilder builder)
        where TContext : DbContext
        => builder.AddMigrations<TContext, NoSeed<TContext>>();

    /// <summary>
    /// Applies <typeparamref name="TContext"/>'s EF Core migrations at start-up, then the seeder, inside a trace span
    /// and with the execution strategy; the <c>migrations</c> health check is Unhealthy until both are done, so
    /// <c>/health</c> (and the AppHost's WaitFor) keep callers away from a half-made schema. A caller that does not
    /// wait (another service fetching keys at its own start) gets a 503 ProblemDetails with <c>Retry-After</c> until
    /// then, not a 500 from a table that is not there yet.
    /// </summary>
    public static IHostApplicationBuilder AddMigrations<TContext, TSeeder>(this IHostApplicationBuilder builder)
        where TContext : DbContext
        where TSeeder : class, IDatabaseSeeder<TContext>
    {
        builder.Services.AddScoped<IDatabaseSeeder<TContext>, TSeeder>();
        builder.Services.AddSingleton<DatabaseInitializer<TContext>>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DatabaseInitializer<TContext>>());
        builder.Services.AddSingleton<IDatabaseReadiness>(services => services.GetRequiredService<DatabaseInitializer<TContext>>());
        builder.Services.AddHealthChecks().AddCheck<DatabaseInitializer<TContext>>("migrations");
        builder.Services.AddSingleton<IStartupFilter>(services =>
            new StartingGate(() => services.GetRequiredService<DatabaseInitializer<TContext>>().IsReady));
        builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddSource(ActivitySourceName));
        return builder;
    }
}

internal sealed class NoSeed<TContext> : IDatabaseSeeder<TContext>
    where TContext : DbContext
{
    public Task<string> SeedAsync(TContext db, CancellationToken cancellationToken) => Task.FromResult("nothing to seed");
}

/// <summary>
/// First in the pipeline: until the schema is migrated and seeded, every request but the health endpoints is answered
/// 503 with <c>Retry-After: 1</c>, which HTTP clients with the standard resilience handler retry.
/// </summary>
internal sealed class StartingGate(Func<bool> isReady) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            if (isReady() || IsHealthEndpoint(context.Request.Path))
            {
                await nextMiddleware(context);
                return;
            }
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "1";
            await Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service starting",
                detail: "The service's database is still being migrated; try again in a moment.").ExecuteAsync(context);
        });
        next(app);
    };

    private static bool IsHealthEndpoint(PathString path) =>
        path.StartsWithSegments(Extensions.HealthEndpointPath) || path.StartsWithSegments(Extensions.AlivenessEndpointPath);
}

/// <remarks>
/// A failure does not stop the process: transient faults were already retried, so the service stays
/// up and Unhealthy, with the error on <c>/health</c>, in the log and on the trace; <c>/alive</c> answers for diagnosis.
/// </remarks>
internal sealed partial class DatabaseInitializer<TContext>(IServiceScopeFactory scopeFactory, ILogger<DatabaseInitializer<TContext>> logger)
    : BackgroundService, IHealthCheck, IDatabaseReadiness where TContext : DbContext
{
    private static readonly ActivitySource ActivitySource = new(MigrationExtensions.ActivitySourceName);

    private volatile bool _completed;
    private volatile string? _failure;

    /// <summary>The schema is migrated and the seed is in.</summary>
    public bool IsReady => _completed;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            _completed ? HealthCheckResult.Healthy("Migrations applied and data seeded.")
            : _failure is { } failure ? HealthCheckResult.Unhealthy($"Migration failed: {failure}")
            : HealthCheckResult.Unhealthy("Migrations are still being applied."));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var activity = ActivitySource.StartActivity($"Migrate {typeof(TContext).Name}");
        try
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TContext>();
            var seeder = scope.ServiceProvider.GetRequiredService<IDatabaseSeeder<TContext>>();
            var seeded = await MigrateWithRetriesAsync(db, seeder, stoppingToken);
            activity?.SetTag("db.seeded", seeded);
            LogCompleted(logger, typeof(TContext).Name, seeded);
            _completed = true;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped before the database was ready: nothing to report.
        }
        catch (Exception ex)
        {
            activity?.AddException(ex);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            LogFailed(logger, typeof(TContext).Name, ex);
            _failure = ex.Message;
        }
    }

    /// <summary>
    /// Retries transient faults (the database restarting, a dropped connection) itself, with a growing pause: services
    /// that run their handlers in one transaction with the outbox register their DbContext without EF's retrying
    /// execution strategy, and a database that blinks at start-up must not leave them Unhealthy for good.
    /// </summary>
    private async Task<string> MigrateWithRetriesAsync(TContext db, IDatabaseSeeder<TContext> seeder, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await db.Database.CreateExecutionStrategy().ExecuteAsync(c => MigrateAndSeedAsync(db, seeder, c), ct);
            }
            catch (Exception ex) when (attempt < MaxAttempts && IsTransient(ex) && !ct.IsCancellationRequested)
            {
                var pause = TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, attempt - 1)));
                LogRetrying(logger, typeof(TContext).Name, attempt, pause, ex);
                await Task.Delay(pause, ct);
            }
        }
    }

    private const int MaxAttempts = 8;

    private static bool IsTransient(Exception ex) => ex switch
    {
        NpgsqlException npgsql => npgsql.IsTransient || npgsql is PostgresException { SqlState: "57P03" or "3D000" },
        TimeoutException => true,
        InvalidOperationException { InnerException: { } inner } => IsTransient(inner),
        DbUpdateException { InnerException: { } inner } => IsTransient(inner),
        _ => false,
    };

    private static async Task<string> MigrateAndSeedAsync(TContext db, IDatabaseSeeder<TContext> seeder, CancellationToken ct)
    {
        // A retried attempt must not re-insert what a failed attempt left in the change tracker.
        db.ChangeTracker.Clear();

        // Replicas start together: a session advisory lock lets one migrate and seed while the others wait, then
        // find nothing to do. Unpooled, so closing the connection ends the session and frees the lock even on failure.
        var connection = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false };
        await using var lockConnection = new NpgsqlConnection(connection.ConnectionString);
        await lockConnection.OpenAsync(ct);
        await using (var takeLock = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", lockConnection))
        {
            takeLock.Parameters.AddWithValue("key", LockKey(connection.Database ?? typeof(TContext).Name));
            await takeLock.ExecuteNonQueryAsync(ct);
        }

        // On a new database EF would first query a history table that is not there yet, and log that failed query as
        // an error (one red log per service and fresh start in the dashboard); create the table first instead.
        await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(ct);
        await db.Database.MigrateAsync(ct);
        return await seeder.SeedAsync(db, ct);
    }

    // Stable across processes (string.GetHashCode is not): FNV-1a of the database name.
    private static long LockKey(string name)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in name)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return unchecked((long)hash);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Context} migrated; {Seeded}")]
    private static partial void LogCompleted(ILogger logger, string context, string seeded);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Context} migration attempt {Attempt} failed on a transient fault; retrying in {Pause}")]
    private static partial void LogRetrying(ILogger logger, string context, int attempt, TimeSpan pause, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Context} migration failed; the service stays Unhealthy")]
    private static partial void LogFailed(ILogger logger, string context, Exception exception);
}
