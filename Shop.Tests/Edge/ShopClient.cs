using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Shop.Tests.Edge;

public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn, string RefreshToken);

/// <summary>What a test does as a customer or an admin: register, log in, call with a bearer token.</summary>
public static class ShopClient
{
    public const string AdminEmail = "admin@shop.local";

    public static string NewEmail() => $"user-{Guid.NewGuid():N}@example.test";

    public const string GoodPassword = "correct-horse-42";

    public static async Task<HttpResponseMessage> RegisterAsync(HttpClient gateway, string email, string password = GoodPassword, string? name = null, CancellationToken ct = default)
        => await gateway.PostAsJsonAsync("/api/v1/users", new { email, password, displayName = name ?? "Test User" }, ct);

    public static async Task<HttpResponseMessage> LoginAsync(HttpClient gateway, string email, string password, CancellationToken ct = default)
        => await gateway.PostAsJsonAsync("/api/v1/auth/token", new { email, password }, ct);

    /// <summary>A new customer, signed in.</summary>
    public static async Task<(string Email, TokenResponse Token)> NewCustomerAsync(HttpClient gateway, CancellationToken ct = default)
    {
        var email = NewEmail();
        using (var registered = await RegisterAsync(gateway, email, ct: ct))
        {
            registered.EnsureSuccessStatusCode();
        }
        using var login = await LoginAsync(gateway, email, GoodPassword, ct);
        login.EnsureSuccessStatusCode();
        return (email, (await login.Content.ReadFromJsonAsync<TokenResponse>(ct))!);
    }

    public static async Task<TokenResponse> AdminAsync(ShopAppFixture fixture, CancellationToken ct = default)
    {
        var password = await fixture.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ParameterResource>()
            .Single(p => p.Name == "admin-password").GetValueAsync(ct) ?? throw new InvalidOperationException("No admin password.");
        using var login = await LoginAsync(fixture.Gateway, AdminEmail, password, ct);
        login.EnsureSuccessStatusCode();
        return (await login.Content.ReadFromJsonAsync<TokenResponse>(ct))!;
    }

    public static HttpRequestMessage With(this HttpRequestMessage request, string accessToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return request;
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, CancellationToken ct = default)
    {
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return doc.RootElement.Clone();
    }
}

public static class ServiceProviderExtensions
{
    public static T GetRequiredResource<T>(this IServiceProvider services, string name) where T : IResource
        => (T)((IResourceCollection)services.GetService(typeof(IResourceCollection))!).Single(r => r.Name == name);
}
