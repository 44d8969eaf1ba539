using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Identity.Data;

namespace Shop.Identity.Keys;

/// <summary>
/// <c>POST /api/v1/admin/signing-keys</c> (admin): creates a key that signs from now on. The previous keys stay
/// published, so tokens they signed keep validating until they expire; retiring a key is a later, separate step.
/// </summary>
public static partial class RotateSigningKey
{
    public sealed record SigningKeyCreated(string Kid, string Alg, DateTimeOffset CreatedAt, IReadOnlyList<string> PublishedKids);

    public static async Task<Created<SigningKeyCreated>> HandleAsync(
        IdentityDbContext db, SigningKeyStore store, ClaimsPrincipal principal, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var keys = await store.RotateAsync(db, cancellationToken);
        LogRotated(loggers.CreateLogger(typeof(RotateSigningKey)), keys.Signing.Kid, principal.FindFirstValue("sub"));

        return TypedResults.Created(WellKnown.JwksPath, new SigningKeyCreated(
            keys.Signing.Kid, SigningKeyStore.Algorithm, keys.Signing.CreatedAt, [.. keys.Published.Select(k => k.Kid)]));
    }

    // The kid is public (it is in every token header); nothing else about the key is ever logged.
    [LoggerMessage(Level = LogLevel.Information, Message = "Signing key {Kid} created by admin {AdminId}; it signs new tokens from now on")]
    private static partial void LogRotated(ILogger logger, string kid, string? adminId);
}
