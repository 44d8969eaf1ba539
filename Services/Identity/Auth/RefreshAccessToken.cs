using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Shop.Identity.Data;

namespace Shop.Identity.Auth;

/// <summary>
/// <c>POST /api/v1/auth/refresh</c>: trades a refresh token for a new access token and a new refresh token (rotation).
/// A refresh token works once. Presenting one that was already used means two parties hold it — the client and a
/// thief — and we cannot tell which is which, so the whole family (every token descended from that login) is revoked.
/// </summary>
public static partial class RefreshAccessToken
{
    public sealed record Request(string? RefreshToken);

    public static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        Request request, IdentityDbContext db, TokenIssuer issuer, TimeProvider time, ILoggerFactory loggers,
        HttpResponse response, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.RefreshToken))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["refreshToken"] = ["Required."] });
        }

        var hash = TokenIssuer.HashRefreshToken(request.RefreshToken);
        var presented = hash is null ? null : await db.RefreshTokens.AsNoTracking()
            .Where(t => t.TokenHash == hash)
            .Select(t => new { t.Id, t.FamilyId, t.ReplacedBy, t.RevokedAt, t.ExpiresAt, t.User })
            .FirstOrDefaultAsync(cancellationToken);
        var now = time.GetUtcNow();
        if (presented is null || presented.RevokedAt is not null || presented.ExpiresAt <= now)
        {
            return Rejected();
        }

        var logger = loggers.CreateLogger(typeof(RefreshAccessToken));
        if (presented.ReplacedBy is not null)
        {
            await RevokeFamilyAsync(db, presented.FamilyId, now, cancellationToken);
            LogReuse(logger, presented.User.Id, presented.FamilyId);
            return Rejected();
        }

        // Minted before the rotation commits, so nothing can fail between using up the old token and answering.
        var accessToken = await issuer.CreateAccessTokenAsync(presented.User, cancellationToken);
        var (refreshToken, successor) = issuer.CreateRefreshToken(presented.User.Id, presented.FamilyId);

        var strategy = db.Database.CreateExecutionStrategy();
        var rotated = await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // The conditional UPDATE is the arbiter: of two concurrent requests with the same token exactly one
            // matches the row (PostgreSQL re-checks the WHERE after waiting for the other's row lock).
            var claimed = await db.RefreshTokens
                .Where(t => t.Id == presented.Id && t.ReplacedBy == null && t.RevokedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.ReplacedBy, successor.Id), ct);
            if (claimed == 0)
            {
                return false;
            }
            db.RefreshTokens.Add(successor);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return true;
        }, cancellationToken);

        if (!rotated)
        {
            // Lost the race to another use of the same token: that is a reuse too.
            await RevokeFamilyAsync(db, presented.FamilyId, now, cancellationToken);
            LogReuse(logger, presented.User.Id, presented.FamilyId);
            return Rejected();
        }

        response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(issuer.Response(accessToken, refreshToken));
    }

    private static Task<int> RevokeFamilyAsync(IdentityDbContext db, Guid familyId, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.RefreshTokens
            .Where(t => t.FamilyId == familyId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);

    private static ProblemHttpResult Rejected() =>
        TokenIssuer.Rejected("Invalid refresh token", "The refresh token is unknown, expired, revoked or already used. Sign in again.");

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Refresh token reuse for user {UserId}: token family {FamilyId} revoked")]
    private static partial void LogReuse(ILogger logger, Guid userId, Guid familyId);
}
