using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Shop.Tests.Edge;

/// <summary>
/// The gateway answers repeated product reads from its own cache, and never serves a product as it was before a write,
/// whether the write came through the gateway or went straight to catalog.
/// </summary>
public sealed class EdgeCacheTests(ShopAppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private HttpClient Gateway => fixture.Gateway;

    [Fact]
    public async Task a_repeated_read_is_answered_by_the_gateway_and_a_write_straight_to_catalog_is_seen_on_the_next_read()
    {
        var admin = await ShopClient.AdminAsync(fixture, Ct);
        var id = await CreateProductAsync(admin.AccessToken, 20m);

        using (var hit = await ReadUntilEdgeHitAsync($"/api/v1/products/{id}"))
        {
            Assert.Equal("hit", hit.Headers.GetValues("X-Cache").Single());
            Assert.NotNull(hit.Headers.Age);
            Assert.Equal(20m, (await hit.JsonAsync(Ct)).GetProperty("price").GetDecimal());
        }
        // Another path is another entry: v2's shape is not served for v1, or the other way round.
        using (var v2 = await ReadUntilEdgeHitAsync($"/api/v2/products/{id}"))
        {
            Assert.Equal(20m, (await v2.JsonAsync(Ct)).GetProperty("price").GetProperty("amount").GetDecimal());
        }

        // Straight to catalog, past the gateway: only catalog's version token can tell the gateway.
        using var catalog = fixture.App.CreateHttpClient("catalog");
        using var put = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/products/{id}")
        {
            Content = JsonContent.Create(new { name = $"Edge {id}", description = "repriced", price = 21.5m, category = "Books" }),
        };
        using var updated = await catalog.SendAsync(put.With(admin.AccessToken), Ct);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);

        // Both replicas answer in turn: neither may serve the old price.
        for (var i = 0; i < 4; i++)
        {
            var after = await Gateway.GetFromJsonAsync<JsonElement>($"/api/v1/products/{id}", Ct);
            Assert.Equal(21.5m, after.GetProperty("price").GetDecimal());
        }
    }

    [Fact]
    public async Task a_request_for_a_fresh_answer_is_forwarded_to_catalog()
    {
        var admin = await ShopClient.AdminAsync(fixture, Ct);
        var id = await CreateProductAsync(admin.AccessToken, 30m);
        (await ReadUntilEdgeHitAsync($"/api/v1/products/{id}")).Dispose();

        for (var i = 0; i < 4; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/products/{id}");
            request.Headers.CacheControl = new CacheControlHeaderValue { NoCache = true };
            using var fresh = await Gateway.SendAsync(request, Ct);

            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
            Assert.Null(fresh.Headers.Age);
            Assert.NotEqual("hit", fresh.Headers.TryGetValues("X-Edge-Cache", out var edge) ? edge.Single() : null);
        }
    }

    private async Task<int> CreateProductAsync(string adminToken, decimal price)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/products")
        {
            Content = JsonContent.Create(new { name = $"Edge {Guid.NewGuid():N}", description = "made by a test", price, category = "Books" }),
        };
        using var created = await Gateway.SendAsync(request.With(adminToken), Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.JsonAsync(Ct)).GetProperty("id").GetInt32();
    }

    /// <summary>
    /// Reads until a replica answers from its cache. Other tests write products all the time, and each write starts a
    /// new catalogue version (every entry misses once more), so a quiet moment may take a few reads.
    /// </summary>
    private async Task<HttpResponseMessage> ReadUntilEdgeHitAsync(string path)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var response = await Gateway.GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            if (response.Headers.TryGetValues("X-Edge-Cache", out var edge) && edge.Single() == "hit")
            {
                return response;
            }
            response.Dispose();
            await Task.Delay(20, Ct);
        }
        Assert.Fail($"no read of {path} was answered from the gateway's cache in 100 attempts");
        return null!;
    }
}
