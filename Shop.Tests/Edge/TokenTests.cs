using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Npgsql;

namespace Shop.Tests.Edge;

/// <summary>Forged, altered and expired tokens are refused by the gateway and by a service called directly (defence in depth).</summary>
public sealed class TokenTests(ShopAppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Tries the token at the gateway (a customer route) and directly at inventory (an admin route).</summary>
    private async Task AssertRefusedEverywhereAsync(string token)
    {
        using var viaGateway = await fixture.Gateway.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/users/me").With(token), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, viaGateway.StatusCode);
        Assert.Equal("application/problem+json", viaGateway.Content.Headers.ContentType?.MediaType);

        using var inventory = fixture.App.CreateHttpClient("inventory");
        using var put = new HttpRequestMessage(HttpMethod.Put, "/api/v1/stock/1") { Content = JsonContent.Create(new { onHand = 1_000_000 }) };
        using var direct = await inventory.SendAsync(put.With(token), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, direct.StatusCode);
    }

    private static string Claims(string role, DateTimeOffset expires) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["iss"] = "shop-identity",
        ["aud"] = "shop",
        ["sub"] = Guid.NewGuid().ToString(),
        ["email"] = "mallory@example.test",
        ["role"] = role,
        ["iat"] = expires.AddMinutes(-15).ToUnixTimeSeconds(),
        ["nbf"] = expires.AddMinutes(-15).ToUnixTimeSeconds(),
        ["exp"] = expires.ToUnixTimeSeconds(),
    });

    private static string Sign(string payload, ECDsa key, string kid)
        => new JsonWebTokenHandler().CreateToken(payload, new SigningCredentials(new ECDsaSecurityKey(key) { KeyId = kid }, SecurityAlgorithms.EcdsaSha256));

    [Fact]
    public async Task a_token_with_an_altered_signature_or_payload_is_refused()
    {
        var admin = await ShopClient.AdminAsync(fixture, Ct);
        var parts = admin.AccessToken.Split('.');
        var sig = parts[2].ToCharArray();
        sig[5] = sig[5] == 'A' ? 'B' : 'A';
        await AssertRefusedEverywhereAsync($"{parts[0]}.{parts[1]}.{new string(sig)}");

        var (_, customer) = await ShopClient.NewCustomerAsync(fixture.Gateway, Ct);
        var c = customer.AccessToken.Split('.');
        var payload = Jwt.Decode(customer.AccessToken).Claims.GetRawText().Replace("\"customer\"", "\"admin\"", StringComparison.Ordinal);
        await AssertRefusedEverywhereAsync($"{c[0]}.{Base64UrlEncoder.Encode(payload)}.{c[2]}");
    }

    [Fact]
    public async Task a_token_signed_by_a_foreign_key_is_refused_even_with_a_known_key_id()
    {
        var (_, customer) = await ShopClient.NewCustomerAsync(fixture.Gateway, Ct);
        var knownKid = Jwt.Decode(customer.AccessToken).Header.GetProperty("kid").GetString()!;
        using var foreign = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        await AssertRefusedEverywhereAsync(Sign(Claims("admin", DateTimeOffset.UtcNow.AddMinutes(10)), foreign, knownKid));
        await AssertRefusedEverywhereAsync(Sign(Claims("admin", DateTimeOffset.UtcNow.AddMinutes(10)), foreign, "made-up-kid"));
    }

    [Fact]
    public async Task an_expired_token_signed_by_the_real_key_is_refused()
    {
        // White-box: take identity's current signing key from its database, as only identity could.
        await using var conn = new NpgsqlConnection(await fixture.App.GetConnectionStringAsync("identitydb", Ct));
        await conn.OpenAsync(Ct);
        await using var cmd = new NpgsqlCommand("""SELECT "Kid", "PrivateKeyPkcs8" FROM "SigningKeys" WHERE "IsActive" ORDER BY "CreatedAt" DESC LIMIT 1""", conn);
        await using var reader = await cmd.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));
        using var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey((byte[])reader[1], out _);
        var kid = reader.GetString(0);

        // Control: the same key and claims, not expired, are accepted; so the refusal below is about expiry alone.
        var valid = Sign(Claims("admin", DateTimeOffset.UtcNow.AddMinutes(5)), key, kid);
        using var inventory = fixture.App.CreateHttpClient("inventory");
        using var ok = await inventory.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/reservations/" + Guid.NewGuid()).With(valid), Ct);
        Assert.NotEqual(HttpStatusCode.Unauthorized, ok.StatusCode);

        await AssertRefusedEverywhereAsync(Sign(Claims("admin", DateTimeOffset.UtcNow.AddMinutes(-2)), key, kid));
    }

    [Fact]
    public async Task after_a_key_rotation_tokens_signed_by_the_old_and_the_new_key_both_validate()
    {
        var admin = await ShopClient.AdminAsync(fixture, Ct);
        var (email, before) = await ShopClient.NewCustomerAsync(fixture.Gateway, Ct);
        var oldKid = Jwt.Decode(before.AccessToken).Header.GetProperty("kid").GetString();

        using var rotate = await fixture.Gateway.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/admin/signing-keys").With(admin.AccessToken), Ct);
        Assert.True(rotate.IsSuccessStatusCode, $"rotation answered {(int)rotate.StatusCode}");

        using var login = await ShopClient.LoginAsync(fixture.Gateway, email, ShopClient.GoodPassword, Ct);
        var after = (await login.Content.ReadFromJsonAsync<TokenResponse>(Ct))!;
        Assert.NotEqual(oldKid, Jwt.Decode(after.AccessToken).Header.GetProperty("kid").GetString());

        var jwks = await fixture.Gateway.GetFromJsonAsync<JsonElement>("/.well-known/jwks.json", Ct);
        Assert.True(jwks.GetProperty("keys").GetArrayLength() >= 2);

        foreach (var token in new[] { before.AccessToken, after.AccessToken })
        {
            // The very first request with the new key must pass too: services fetch unknown keys at once.
            using var viaGateway = await fixture.Gateway.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/users/me").With(token), Ct);
            Assert.Equal(HttpStatusCode.OK, viaGateway.StatusCode);
            using var inventory = fixture.App.CreateHttpClient("inventory");
            using var direct = await inventory.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/reservations/{Guid.NewGuid()}").With(token), Ct);
            Assert.Equal(HttpStatusCode.Forbidden, direct.StatusCode); // authenticated, but a customer
        }
    }

    [Fact]
    public async Task a_customer_cannot_read_or_change_what_belongs_to_others()
    {
        var (_, customer) = await ShopClient.NewCustomerAsync(fixture.Gateway, Ct);

        using var reservation = await fixture.Gateway.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/reservations/{Guid.NewGuid()}").With(customer.AccessToken), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, reservation.StatusCode);
        using var put = new HttpRequestMessage(HttpMethod.Put, "/api/v1/stock/1") { Content = JsonContent.Create(new { onHand = 5 }) };
        using var stock = await fixture.Gateway.SendAsync(put.With(customer.AccessToken), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, stock.StatusCode);
        Assert.Equal("application/problem+json", stock.Content.Headers.ContentType?.MediaType);
    }
}
