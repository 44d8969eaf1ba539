using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Shop.Identity.Data;
using Shop.Identity.Users;
using Shop.ServiceDefaults.Authentication;

namespace Shop.Identity.Auth;

/// <summary>
/// Checks an email and password in the same time whether or not the email is registered: for an unknown email the
/// password is still verified, against a hash of a random password, so response time does not reveal which accounts exist.
/// </summary>
public sealed class CredentialVerifier(IPasswordHasher<User> hasher)
{
    private static readonly User Nobody = new()
    {
        Email = "", NormalizedEmail = "", DisplayName = "", PasswordHash = "", Role = ShopAuth.CustomerRole,
    };

    // Made by the same hasher as real hashes, so it carries the same algorithm and iteration count and costs the same.
    private readonly Lazy<string> _dummyHash = new(() => hasher.HashPassword(Nobody, RandomNumberGenerator.GetHexString(32)));

    /// <summary>The user when the password matches; null for an unknown email or a wrong password alike.</summary>
    public async Task<User?> VerifyAsync(IdentityDbContext db, string email, string password, CancellationToken cancellationToken)
    {
        var normalizedEmail = UserRules.NormalizeEmail(email);
        var user = await db.Users.FirstOrDefaultAsync(u => u.NormalizedEmail == normalizedEmail, cancellationToken);
        if (user is null)
        {
            hasher.VerifyHashedPassword(Nobody, _dummyHash.Value, password);
            return null;
        }

        var result = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (result == PasswordVerificationResult.Failed)
        {
            return null;
        }
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            // An older format or a lower iteration count: upgrade while the plain password is at hand.
            user.PasswordHash = hasher.HashPassword(user, password);
            await db.SaveChangesAsync(cancellationToken);
        }
        return user;
    }

    /// <summary>Computes the dummy hash now rather than during the first login for an unknown email.</summary>
    public void Prepare() => _ = _dummyHash.Value;
}
