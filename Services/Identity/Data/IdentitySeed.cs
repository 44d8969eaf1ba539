using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.Identity.Auth;
using Shop.Identity.Keys;
using Shop.Identity.Users;
using Shop.ServiceDefaults.Data;

namespace Shop.Identity.Data;

/// <summary>
/// What identity needs before it may serve, after its migrations: the first signing key and the admin user. Runs
/// while the shared migration lock is held, so replicas starting together create one key and one admin.
/// </summary>
public sealed partial class IdentitySeed(
    SigningKeyStore keys,
    CredentialVerifier credentials,
    IPasswordHasher<User> hasher,
    IOptions<IdentityServiceOptions> options,
    TimeProvider time,
    ILogger<IdentitySeed> logger) : IDatabaseSeeder<IdentityDbContext>
{
    public async Task<string> SeedAsync(IdentityDbContext db, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var newKid = await SigningKeyStore.EnsureSigningKeyAsync(db, now, cancellationToken);
        var admin = await SeedAdmin.RunAsync(db, hasher, options.Value, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        var signingKid = (await keys.GetAsync(cancellationToken)).Signing.Kid;
        credentials.Prepare();
        if (newKid is not null)
        {
            LogKeyCreated(logger, newKid);
        }
        if (admin == SeedAdmin.Outcome.NotConfigured)
        {
            LogNoAdmin(logger);
        }
        return $"signing key {signingKid}; admin seed {admin}";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the first signing key {Kid}")]
    private static partial void LogKeyCreated(ILogger logger, string kid);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "No admin seeded: set Identity:AdminEmail and Identity:AdminPassword to have one created at start-up")]
    private static partial void LogNoAdmin(ILogger logger);
}
