using System.Net;
using System.Net.Http.Json;
using Npgsql;
using Shop.Tests.Edge;

namespace Shop.Tests.Api;

/// <summary>
/// Callers of their own for the API tests. The gateway limits each signed-in user to
/// <see cref="ShopAppFixture.UserPermitLimit"/> requests per window; tests that send many requests as an admin use
/// admins of their own (customers promoted in identity's database), so the seeded admin's budget stays with the
/// other tests that run at the same time.
/// </summary>
public static class ApiCallers
{
    public static async Task<TokenResponse> NewAdminAsync(ShopAppFixture fixture, CancellationToken ct)
    {
        var email = ShopClient.NewEmail();
        using (var registered = await ShopClient.RegisterAsync(fixture.Gateway, email, ct: ct))
        {
            registered.EnsureSuccessStatusCode();
        }
        await using (var connection = new NpgsqlConnection(await fixture.App.GetConnectionStringAsync("identitydb", ct)))
        {
            await connection.OpenAsync(ct);
            await using var promote = new NpgsqlCommand("""UPDATE "Users" SET "Role" = 'admin' WHERE lower("Email") = lower(@email)""", connection);
            promote.Parameters.AddWithValue("email", email);
            Assert.Equal(1, await promote.ExecuteNonQueryAsync(ct));
        }
        using var login = await ShopClient.LoginAsync(fixture.Gateway, email, ShopClient.GoodPassword, ct);
        login.EnsureSuccessStatusCode();
        return (await login.Content.ReadFromJsonAsync<TokenResponse>(ct))!;
    }

    /// <summary>
    /// Sends what <paramref name="create"/> builds; a 429 from the gateway's rate limit is waited out (Retry-After)
    /// and the request sent again, so a long run stays within its callers' budgets.
    /// </summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient gateway, Func<HttpRequestMessage> create, CancellationToken ct)
    {
        while (true)
        {
            var response = await gateway.SendAsync(create(), ct);
            if (response.StatusCode != HttpStatusCode.TooManyRequests)
            {
                return response;
            }
            var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
            response.Dispose();
            await Task.Delay(wait + TimeSpan.FromMilliseconds(100), ct);
        }
    }
}
