using System.Diagnostics;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Shop.Identity.Auth;
using Shop.Identity.Keys;
using Shop.Identity.Users;

namespace Shop.Identity.Data;

/// <summary>
/// Start-up work before identity may serve: EF Core migrations, the first signing key, the admin seed. It is also the
/// <c>migrations</c> health check, Unhealthy until all three are done, so <c>/health</c> (and WaitFor) hold callers back.
/// </summary>
/// <remarks>
/// A failure leaves the service running but Unhealthy, with the reason in the log and the trace: transient faults were
/// already retried by the execution strategy, and <c>/alive</c> stays up for diagnosis.
/// </remarks>
public sealed partial class IdentityDbInitializer(
    IServiceScopeFactory scopeFactory,
    SigningKeyStore keys,
    CredentialVerifier credentials,
    IOptions<IdentityServiceOptions> options,
    TimeProvider time,
    ILogger<IdentityDbInitializer> logger) : BackgroundService, IHealthCheck
{
    public const string ActivitySourceName = "Shop.Identity.Migrations";

    // Any constant shared by the replicas; this one spells "identity" in ASCII.
    private const long SeedLockKey = 0x6964656e74697479;

    private static readonly ActivitySource ActivitySource = new(ActivitySourceName);

    private volatile bool _completed;
    private volatile string? _failure;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            _completed ? HealthCheckResult.Healthy("Migrations applied, signing key present, admin ensured.")
            : _failure is { } failure ? HealthCheckResult.Unhealthy($"Start-up failed: {failure}")
            : HealthCheckResult.Unhealthy("Migrations are still being applied."));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var activity = ActivitySource.StartActivity("Migrate identity database");
        try
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IdentityDbContext>();
            var hasher = scope.ServiceProvider.GetRequiredService<IPasswordHasher<User>>();

            // MigrateAsync takes EF Core's own migration lock, so replicas starting together are safe here.
            await db.Database.MigrateAsync(stoppingToken);

            var strategy = db.Database.CreateExecutionStrategy();
            var (newKid, admin) = await strategy.ExecuteAsync(async ct =>
            {
                db.ChangeTracker.Clear();
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                // Held until commit: one replica creates the first key and seeds, the others then find it done.
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({SeedLockKey})", ct);
                var now = time.GetUtcNow();
                var kid = await SigningKeyStore.EnsureSigningKeyAsync(db, now, ct);
                var outcome = await SeedAdmin.RunAsync(db, hasher, options.Value, now, ct);
                await transaction.CommitAsync(ct);
                return (kid, outcome);
            }, stoppingToken);

            var signingKid = (await keys.GetAsync(stoppingToken)).Signing.Kid;
            credentials.Prepare();

            activity?.SetTag("identity.signing_kid", signingKid);
            activity?.SetTag("identity.admin_seed", admin.ToString());
            if (newKid is not null)
            {
                LogKeyCreated(logger, newKid);
            }
            if (admin == SeedAdmin.Outcome.NotConfigured)
            {
                LogNoAdmin(logger);
            }
            LogCompleted(logger, signingKid, admin);
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
            LogFailed(logger, ex);
            _failure = ex.Message;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the first signing key {Kid}")]
    private static partial void LogKeyCreated(ILogger logger, string kid);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "No admin seeded: set Identity:AdminEmail and Identity:AdminPassword to have one created at start-up")]
    private static partial void LogNoAdmin(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Identity database ready; signing key {Kid}; admin seed {AdminSeed}")]
    private static partial void LogCompleted(ILogger logger, string kid, SeedAdmin.Outcome adminSeed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Identity start-up failed; the service stays Unhealthy")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
