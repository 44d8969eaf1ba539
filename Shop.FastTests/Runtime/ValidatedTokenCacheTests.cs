using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Shop.ServiceDefaults.Authentication;

namespace Shop.Tests.Runtime;

public sealed class ValidatedTokenCacheTests
{
    private static readonly ECDsa Key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private static readonly ECDsa Other = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private static TokenValidationParameters Parameters(ECDsa key) => new()
    {
        ValidIssuer = ShopAuth.Issuer,
        ValidAudience = ShopAuth.Audience,
        IssuerSigningKey = new ECDsaSecurityKey(key) { KeyId = "k1" },
        RoleClaimType = "role",
    };

    private static string Token(ECDsa key, DateTime expires) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = ShopAuth.Issuer,
        Audience = ShopAuth.Audience,
        Subject = new ClaimsIdentity([new Claim("sub", "u1"), new Claim("role", "customer")]),
        NotBefore = expires.AddMinutes(-20),
        IssuedAt = expires.AddMinutes(-20),
        Expires = expires,
        SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(key) { KeyId = "k1" }, SecurityAlgorithms.EcdsaSha256),
    });

    [Fact]
    public async Task a_cached_token_gives_each_request_its_own_identity()
    {
        var handler = new CachingJsonWebTokenHandler();
        var token = Token(Key, DateTime.UtcNow.AddMinutes(10));

        var first = await handler.ValidateTokenAsync(token, Parameters(Key));
        first.ClaimsIdentity.AddClaim(new Claim("role", "admin")); // a later stage adding claims must not leak
        var second = await handler.ValidateTokenAsync(token, Parameters(Key));

        Assert.True(first.IsValid);
        Assert.True(second.IsValid);
        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
        Assert.Equal(["customer"], second.ClaimsIdentity.FindAll("role").Select(c => c.Value));
    }

    [Fact]
    public async Task a_refused_token_is_not_remembered_and_an_expired_one_is_not_accepted()
    {
        var handler = new CachingJsonWebTokenHandler();
        var forged = Token(Other, DateTime.UtcNow.AddMinutes(10));
        Assert.False((await handler.ValidateTokenAsync(forged, Parameters(Key))).IsValid);
        Assert.False((await handler.ValidateTokenAsync(forged, Parameters(Key))).IsValid);

        var expired = Token(Key, DateTime.UtcNow.AddMinutes(-10)); // past the default 5-minute clock skew
        Assert.False((await handler.ValidateTokenAsync(expired, Parameters(Key))).IsValid);
    }
}
