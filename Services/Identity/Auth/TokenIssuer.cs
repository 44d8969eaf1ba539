using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Shop.Identity.Data;
using Shop.Identity.Keys;
using Shop.ServiceDefaults.Authentication;

namespace Shop.Identity.Auth;

/// <summary>What <c>POST /auth/token</c> and <c>POST /auth/refresh</c> answer.</summary>
public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn, string RefreshToken);

/// <summary>Mints access tokens (ES256 JWTs) and refresh tokens (opaque, stored hashed).</summary>
public sealed class TokenIssuer(SigningKeyStore keys, TimeProvider time, IOptions<IdentityServiceOptions> options)
{
    private const int RefreshTokenBytes = 32;

    private static readonly JsonWebTokenHandler Handler = new();

    private readonly IdentityServiceOptions _options = options.Value;

    public int AccessTokenLifetimeSeconds => (int)_options.AccessTokenLifetime.TotalSeconds;

    public async Task<string> CreateAccessTokenAsync(User user, CancellationToken cancellationToken)
    {
        var signing = (await keys.GetAsync(cancellationToken)).Signing;
        var now = time.GetUtcNow().UtcDateTime;
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = ShopAuth.Issuer,
            Audience = ShopAuth.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + _options.AccessTokenLifetime,
            // The key's KeyId becomes the "kid" header, which validators use to pick the key.
            SigningCredentials = signing.Credentials,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = user.Id.ToString(),
                [JwtRegisteredClaimNames.Email] = user.Email,
                [JwtRegisteredClaimNames.Name] = user.DisplayName,
                ["role"] = user.Role,
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
            },
        });
    }

    /// <summary>A new refresh token of <paramref name="familyId"/>: the value for the client and the row to store.</summary>
    public (string Value, RefreshToken Row) CreateRefreshToken(Guid userId, Guid familyId)
    {
        Span<byte> secret = stackalloc byte[RefreshTokenBytes];
        RandomNumberGenerator.Fill(secret);
        var now = time.GetUtcNow();
        var row = new RefreshToken
        {
            Id = Guid.CreateVersion7(),
            TokenHash = SHA256.HashData(secret),
            FamilyId = familyId,
            UserId = userId,
            CreatedAt = now,
            ExpiresAt = now + _options.RefreshTokenLifetime,
        };
        return (Base64Url.EncodeToString(secret), row);
    }

    /// <summary>The stored form of a presented value, or null when it cannot be one of ours.</summary>
    public static byte[]? HashRefreshToken(string value)
    {
        Span<byte> secret = stackalloc byte[RefreshTokenBytes];
        return value.Length == Base64Url.GetEncodedLength(RefreshTokenBytes)
            && Base64Url.TryDecodeFromChars(value, secret, out var written) && written == RefreshTokenBytes
            ? SHA256.HashData(secret)
            : null;
    }

    /// <summary>Login: a fresh token pair starting a new refresh-token family.</summary>
    public async Task<TokenResponse> IssueForLoginAsync(IdentityDbContext db, User user, CancellationToken cancellationToken)
    {
        var accessToken = await CreateAccessTokenAsync(user, cancellationToken);
        var (refreshToken, row) = CreateRefreshToken(user.Id, familyId: Guid.CreateVersion7());
        db.RefreshTokens.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return Response(accessToken, refreshToken);
    }

    public TokenResponse Response(string accessToken, string refreshToken) =>
        new(accessToken, "Bearer", AccessTokenLifetimeSeconds, refreshToken);

    /// <summary>The one 401 for every failed login or refresh, so the answer tells nothing about why.</summary>
    public static ProblemHttpResult Rejected(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: title, detail: detail);
}
