using Shop.AppHost;
using Shop.AppHost.Servers;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Shop.Tests.Runtime;

namespace Shop.Tests.Edge;

/// <summary>
/// The gateway's edge cache without Redis, on an app model of its own (a stalled Redis would slow every other test of
/// the shared system): with catalog's version token out of reach, a product read is forwarded to catalog instead of
/// being answered from an entry that may be stale, and the cache serves again once Redis is back.
/// </summary>
public sealed class EdgeCacheWithoutRedisTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task with_redis_stalled_a_product_read_is_forwarded_and_the_cache_serves_again_once_redis_is_back()
    {
        var builder = TestApps.CreateBuilder();
        var model = SmallAppModel.Add(builder, builder.State());
        builder.AddProject<Projects.Gateway>("gateway").FromBuildOutput().WithReference(model.Cache).WaitFor(model.Cache)
            .WithReference(model.Identity).WithReference(model.Catalog).WaitFor(model.Catalog).WithHttpHealthCheck("/health");
        await using var app = await builder.BuildAsync(Ct);
        await app.StartAsync(Ct).WaitAsync(ShopAppFixture.StartTimeout, Ct);
        await Task.WhenAll(new[] { "identity", "catalog", "gateway" }.Select(r => app.ResourceNotifications.WaitForResourceHealthyAsync(r, Ct)))
            .WaitAsync(ShopAppFixture.StartTimeout, Ct);
        using var gateway = app.CreateHttpClient("gateway");
        const string path = "/api/v1/products/1";
        Assert.True(await EdgeHitAsync(gateway, path), "no read was answered from the gateway's cache before Redis stalled");

        var redis = (await app.ProcessIdsOfAsync("cache", Ct)).Single();
        ProcessTree.Signal([redis], "STOP");
        try
        {
            for (var i = 0; i < 4; i++)
            {
                var watch = Stopwatch.StartNew();
                using var read = await gateway.GetAsync(path, Ct);
                Assert.Equal(HttpStatusCode.OK, read.StatusCode);
                Assert.NotEqual("hit", read.Headers.TryGetValues("X-Edge-Cache", out var edge) ? edge.Single() : null);
                Assert.Null(read.Headers.Age);
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"a read took {watch.Elapsed} with Redis stalled");
            }
        }
        finally
        {
            ProcessTree.Signal([redis], "CONT");
        }

        // The replica leaves Redis alone for a few seconds after a failure, then finds the token again.
        Assert.True(await EdgeHitAsync(gateway, path, TimeSpan.FromSeconds(30)), "the gateway's cache did not serve again after Redis came back");
    }

    private static async Task<bool> EdgeHitAsync(HttpClient gateway, string path, TimeSpan? within = null)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < (within ?? TimeSpan.FromSeconds(10)))
        {
            using var response = await gateway.GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            if (response.Headers.TryGetValues("X-Edge-Cache", out var edge) && edge.Single() == "hit")
            {
                return true;
            }
            await Task.Delay(50, Ct);
        }
        return false;
    }
}
