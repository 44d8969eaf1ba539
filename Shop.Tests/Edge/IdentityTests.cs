using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Shop.Tests.Edge;

public sealed class IdentityTests(ShopAppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private HttpClient Gateway => fixture.Gateway;

    [Fact]
    public async Task a_registered_user_logs_in_and_reads_and_changes_their_profile()
    {
        var email = ShopClient.NewEmail();
        using var registered = await ShopClient.RegisterAsync(Gateway, email, name: "Ada Lovelace", ct: Ct);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var user = await registered.JsonAsync(Ct);
        Assert.Equal(email, user.GetProperty("email").GetString());
        Assert.Equal("customer", user.GetProperty("role").GetString());

        using var login = await ShopClient.LoginAsync(Gateway, email, ShopClient.GoodPassword, Ct);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var token = (await login.Content.ReadFromJsonAsync<TokenResponse>(Ct))!;
        Assert.Equal("Bearer", token.TokenType);
        Assert.Equal(900, token.ExpiresIn);
        var (header, claims) = Jwt.Decode(token.AccessToken);
        Assert.Equal("ES256", header.GetProperty("alg").GetString());
        Assert.False(string.IsNullOrEmpty(header.GetProperty("kid").GetString()));
        Assert.Equal(user.GetProperty("id").ToString(), claims.GetProperty("sub").ToString());
        Assert.Equal("shop-identity", claims.GetProperty("iss").GetString());
        Assert.Equal("customer", claims.GetProperty("role").GetString());
        Assert.InRange(claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64(), 890, 910);

        using var me = await Gateway.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/users/me").With(token.AccessToken), Ct);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal("Ada Lovelace", (await me.JsonAsync(Ct)).GetProperty("displayName").GetString());

        using var put = new HttpRequestMessage(HttpMethod.Put, "/api/v1/users/me") { Content = JsonContent.Create(new { displayName = "Countess" }) };
        using var changed = await Gateway.SendAsync(put.With(token.AccessToken), Ct);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        using var again = await Gateway.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/users/me").With(token.AccessToken), Ct);
        Assert.Equal("Countess", (await again.JsonAsync(Ct)).GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task an_email_already_taken_in_any_case_is_a_409_problem()
    {
        var email = ShopClient.NewEmail();
        using var first = await ShopClient.RegisterAsync(Gateway, email, ct: Ct);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        using var second = await ShopClient.RegisterAsync(Gateway, email.ToUpperInvariant(), ct: Ct);

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
        Assert.Equal(409, (await second.JsonAsync(Ct)).GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("short1")]
    [InlineData("onlyletterslong")]
    [InlineData("1234567890123")]
    public async Task a_weak_password_is_a_400_naming_the_password(string password)
    {
        using var response = await ShopClient.RegisterAsync(Gateway, ShopClient.NewEmail(), password, ct: Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.JsonAsync(Ct)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("password", out var messages), errors.ToString());
        Assert.NotEmpty(messages.EnumerateArray());
    }

    [Fact]
    public async Task a_wrong_password_and_an_unknown_email_get_the_same_401()
    {
        var (email, _) = await ShopClient.NewCustomerAsync(Gateway, Ct);

        // Taken in turns, so a busy moment of a 2-core machine weighs on both alike.
        (HttpStatusCode Status, JsonElement Body, TimeSpan Elapsed) wrong = default, unknown = default;
        var wrongTimes = new List<TimeSpan>();
        var unknownTimes = new List<TimeSpan>();
        for (var i = 0; i < 7; i++)
        {
            wrong = await TimedLoginAsync(email, "wrong-password-1");
            wrongTimes.Add(wrong.Elapsed);
            unknown = await TimedLoginAsync(ShopClient.NewEmail(), "wrong-password-1");
            unknownTimes.Add(unknown.Elapsed);
        }
        wrong.Elapsed = Median(wrongTimes);
        unknown.Elapsed = Median(unknownTimes);

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.Status);
        Assert.Equal(Strip(wrong.Body), Strip(unknown.Body));
        // Both run a password hash: neither answers in a fraction of the other's time.
        Assert.InRange(unknown.Elapsed.TotalMilliseconds, wrong.Elapsed.TotalMilliseconds / 3, wrong.Elapsed.TotalMilliseconds * 3 + 50);

        static string Strip(JsonElement problem) => JsonSerializer.Serialize(new
        {
            status = problem.GetProperty("status").GetInt32(),
            title = problem.GetProperty("title").GetString(),
            detail = problem.TryGetProperty("detail", out var d) ? d.GetString() : null,
        });
    }

    private async Task<(HttpStatusCode Status, JsonElement Body, TimeSpan Elapsed)> TimedLoginAsync(string email, string password)
    {
        var watch = Stopwatch.StartNew();
        using var response = await ShopClient.LoginAsync(Gateway, email, password, Ct);
        var elapsed = watch.Elapsed;
        return (response.StatusCode, await response.JsonAsync(Ct), elapsed);
    }

    /// <summary>The median, so one slow scheduling hiccup does not decide.</summary>
    private static TimeSpan Median(List<TimeSpan> times) => times.Order().ElementAt(times.Count / 2);

    [Fact]
    public async Task a_refresh_token_rotates_and_reusing_a_rotated_one_revokes_the_family()
    {
        var (_, token) = await ShopClient.NewCustomerAsync(Gateway, Ct);

        using var first = await Gateway.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = token.RefreshToken }, Ct);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var rotated = (await first.Content.ReadFromJsonAsync<TokenResponse>(Ct))!;
        Assert.NotEqual(token.RefreshToken, rotated.RefreshToken);
        using var me = await Gateway.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/users/me").With(rotated.AccessToken), Ct);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);

        using var reuse = await Gateway.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = token.RefreshToken }, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, reuse.StatusCode);
        Assert.Equal("application/problem+json", reuse.Content.Headers.ContentType?.MediaType);

        using var revoked = await Gateway.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = rotated.RefreshToken }, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
    }

    [Fact]
    public async Task the_jwks_publishes_public_keys_only()
    {
        var jwks = await Gateway.GetFromJsonAsync<JsonElement>("/.well-known/jwks.json", Ct);
        var key = jwks.GetProperty("keys").EnumerateArray().First();
        Assert.Equal("EC", key.GetProperty("kty").GetString());
        Assert.Equal("P-256", key.GetProperty("crv").GetString());
        Assert.False(key.TryGetProperty("d", out _), "the private part must never be published");
    }
}

internal static class Jwt
{
    public static (JsonElement Header, JsonElement Claims) Decode(string token)
    {
        var parts = token.Split('.');
        return (Part(parts[0]), Part(parts[1]));

        static JsonElement Part(string s)
        {
            var b64 = s.Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '=');
            using var doc = JsonDocument.Parse(Convert.FromBase64String(b64));
            return doc.RootElement.Clone();
        }
    }
}
