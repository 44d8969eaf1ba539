using System.Net.Http.Json;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shop.ServiceDefaults.Data;

namespace Shop.Tests.Edge;

/// <summary>
/// A service answers 503 with Retry-After, as ProblemDetails, while its database is still being migrated (another
/// service fetching identity's keys at start-up got a 500 from a missing table before); the health endpoints answer
/// throughout, and once migrated every request goes through.
/// </summary>
public sealed class StartingGateTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task requests_wait_for_the_migrations_with_a_503_and_retry_after_while_health_answers()
    {
        var ready = false;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton<IStartupFilter>(new StartingGate(() => ready));
        await using var app = builder.Build();
        app.MapGet("/health", () => "Healthy");
        app.MapGet("/alive", () => "Healthy");
        app.MapGet("/.well-known/jwks.json", () => Results.Json(new { keys = Array.Empty<object>() }));
        await app.StartAsync(Ct).WaitAsync(ShopAppFixture.StartTimeout, Ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var http = new HttpClient { BaseAddress = new Uri(address) };

        using (var starting = await http.GetAsync("/.well-known/jwks.json", Ct))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, starting.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), starting.Headers.RetryAfter?.Delta);
            Assert.Equal("application/problem+json", starting.Content.Headers.ContentType?.MediaType);
            var problem = await starting.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal(503, problem.GetProperty("status").GetInt32());
            Assert.Equal("Service starting", problem.GetProperty("title").GetString());
        }
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/alive", Ct)).StatusCode);

        ready = true;
        using var started = await http.GetAsync("/.well-known/jwks.json", Ct);
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        await app.StopAsync(Ct);
    }
}
