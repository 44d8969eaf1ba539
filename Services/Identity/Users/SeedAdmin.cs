using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Shop.Identity.Data;
using Shop.ServiceDefaults.Authentication;

namespace Shop.Identity.Users;

/// <summary>
/// Ensures the account named by <c>Identity:AdminEmail</c> exists, is an admin and has <c>Identity:AdminPassword</c>.
/// Run at every start-up, so it is idempotent; configuration is the source of truth for this one account.
/// </summary>
public static class SeedAdmin
{
    private const string DisplayName = "Administrator";

    public enum Outcome
    {
        NotConfigured,
        Created,
        Updated,
        Unchanged,
    }

    public static async Task<Outcome> RunAsync(
        IdentityDbContext db, IPasswordHasher<User> hasher, IdentityServiceOptions options, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(options.AdminEmail) && string.IsNullOrEmpty(options.AdminPassword))
        {
            return Outcome.NotConfigured;
        }

        var errors = new Dictionary<string, string[]>();
        UserRules.ValidateEmail(options.AdminEmail, errors);
        UserRules.ValidatePassword(options.AdminPassword, options.AdminEmail, errors);
        if (errors.Count > 0)
        {
            // The rule messages never contain the values, so the secret stays out of the log.
            throw new InvalidOperationException("Identity:AdminEmail/Identity:AdminPassword are invalid: " +
                string.Join("; ", errors.Select(e => $"{(e.Key == "email" ? "AdminEmail" : "AdminPassword")}: {string.Join(" ", e.Value)}")));
        }

        var email = options.AdminEmail!.Trim();
        var password = options.AdminPassword!;
        var normalizedEmail = UserRules.NormalizeEmail(email);
        var user = await db.Users.FirstOrDefaultAsync(u => u.NormalizedEmail == normalizedEmail, cancellationToken);
        if (user is null)
        {
            user = new User
            {
                Id = Guid.CreateVersion7(),
                Email = email,
                NormalizedEmail = normalizedEmail,
                DisplayName = DisplayName,
                PasswordHash = "",
                Role = ShopAuth.AdminRole,
            };
            user.PasswordHash = hasher.HashPassword(user, password);
            db.Users.Add(user);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return Outcome.Created;
            }
            catch (DbUpdateException ex) when (IdentityDbContext.IsUniqueViolation(ex, IdentityDbContext.UserEmailIndex))
            {
                // Another replica (or a registration) won the insert: fall through and make that row right.
                db.ChangeTracker.Clear();
                user = await db.Users.FirstAsync(u => u.NormalizedEmail == normalizedEmail, cancellationToken);
            }
        }

        var isAdmin = user.Role == ShopAuth.AdminRole;
        var passwordMatches = hasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed;
        if (isAdmin && passwordMatches)
        {
            return Outcome.Unchanged;
        }

        if (!isAdmin)
        {
            // Taken over from whoever registered the address first: nothing they chose carries over.
            user.DisplayName = DisplayName;
        }
        user.Role = ShopAuth.AdminRole;
        user.PasswordHash = hasher.HashPassword(user, password);
        user.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        // Whoever held this account before (say, someone who registered the admin address first) keeps no session.
        await db.RefreshTokens
            .Where(t => t.UserId == user.Id && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);
        return Outcome.Updated;
    }
}
