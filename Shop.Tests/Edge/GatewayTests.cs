using System.Diagnostics;
using System.Net;

namespace Shop.Tests.Edge;

public sealed class GatewayTests(ShopAppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_burst_over_the_limit_is_429_with_retry_after_counted_across_both_replicas_and_allowed_again_after_the_window()
    {
        var (_, token) = await ShopClient.NewCustomerAsync(fixture.Gateway, Ct);
        // A new connection per request: the AppHost's proxy deals connections round-robin to the two replicas.
        using var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { BaseAddress = fixture.Gateway.BaseAddress };
        var window = TimeSpan.FromSeconds(ShopAppFixture.RateLimitWindowSeconds);
        await WaitForStartOfWindowAsync(window);

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < ShopAppFixture.UserPermitLimit + 10; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/products?pageSize=1").With(token.AccessToken);
            request.Headers.ConnectionClose = true;
            answers.Add(await client.SendAsync(request, Ct));
        }

        Assert.Equal(ShopAppFixture.UserPermitLimit, answers.Count(r => r.StatusCode == HttpStatusCode.OK));
        var limited = answers.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(10, limited.Count);
        Assert.True(answers.Select(r => r.Headers.GetValues("X-Gateway-Instance").Single()).Distinct().Count() == 2,
            "requests should have been served by both gateway replicas");
        var problem = await limited[0].JsonAsync(Ct);
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Equal("application/problem+json", limited[0].Content.Headers.ContentType?.MediaType);
        var retryAfter = limited[^1].Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), window);

        await Task.Delay(retryAfter.Value + TimeSpan.FromMilliseconds(200), Ct); // the window's own length, not a guess
        using var again = new HttpRequestMessage(HttpMethod.Get, "/api/v1/products?pageSize=1").With(token.AccessToken);
        using var allowed = await client.SendAsync(again, Ct);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        answers.ForEach(r => r.Dispose());
    }

    private static async Task WaitForStartOfWindowAsync(TimeSpan window)
    {
        // Windows are aligned to the clock; start the burst early in one so it cannot straddle two.
        var ms = (long)window.TotalMilliseconds;
        var into = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() % ms;
        if (into > ms / 5)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(ms - into + 20), Ct);
        }
    }

    [Fact]
    public async Task the_summary_gathers_profile_recent_orders_and_unread_notifications_within_its_deadline()
    {
        var (email, token) = await ShopClient.NewCustomerAsync(fixture.Gateway, Ct);

        var watch = Stopwatch.StartNew();
        using var response = await fixture.Gateway.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/me/summary").With(token.AccessToken), Ct);
        watch.Stop();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"the summary took {watch.Elapsed}; each part has a 1.5 s deadline");
        var summary = await response.JsonAsync(Ct);
        Assert.Equal(email, summary.GetProperty("profile").GetProperty("email").GetString());
        // A new customer: no orders yet, and at most the welcome notification.
        Assert.Empty(summary.GetProperty("recentOrders").EnumerateArray());
        Assert.InRange(summary.GetProperty("unreadNotifications").GetInt32(), 0, 1);
        // Every part answered; a part that does not is named (StoppedPartTests).
        Assert.Empty(summary.GetProperty("unavailable").EnumerateArray());
    }

    [Fact]
    public async Task the_summary_needs_a_signed_in_user()
    {
        using var response = await fixture.Gateway.GetAsync("/api/v1/me/summary", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
