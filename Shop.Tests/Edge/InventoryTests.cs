using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Shop.Tests.Edge;

public sealed class InventoryTests(ShopAppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task stock_is_public_to_read_and_only_an_admin_sets_it()
    {
        var stock = await fixture.Gateway.GetFromJsonAsync<JsonElement>("/api/v1/stock/2", Ct);
        Assert.Equal(2, stock.GetProperty("productId").GetInt32());
        Assert.Equal(stock.GetProperty("onHand").GetInt32() - stock.GetProperty("reserved").GetInt32(), stock.GetProperty("available").GetInt32());

        using var anonymous = await fixture.Gateway.PutAsJsonAsync("/api/v1/stock/2", new { onHand = 1 }, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        var admin = await ShopClient.AdminAsync(fixture, Ct);
        using var put = new HttpRequestMessage(HttpMethod.Put, "/api/v1/stock/59") { Content = JsonContent.Create(new { onHand = 321 }) };
        using var set = await fixture.Gateway.SendAsync(put.With(admin.AccessToken), Ct);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var after = await fixture.Gateway.GetFromJsonAsync<JsonElement>("/api/v1/stock/59", Ct);
        Assert.Equal(321, after.GetProperty("onHand").GetInt32());

        using var unknown = await fixture.Gateway.GetAsync("/api/v1/stock/987654", Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task a_reservation_is_all_or_nothing_and_at_most_one_per_order()
    {
        var admin = await ShopClient.AdminAsync(fixture, Ct);
        async Task<HttpResponseMessage> Reserve(Guid orderId, params (int Product, int Quantity)[] items)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/reservations")
            {
                Content = JsonContent.Create(new { orderId, items = items.Select(i => new { productId = i.Product, quantity = i.Quantity }) }),
            };
            return await fixture.Gateway.SendAsync(request.With(admin.AccessToken), Ct);
        }
        async Task<int> Reserved(int product) => (await fixture.Gateway.GetFromJsonAsync<JsonElement>($"/api/v1/stock/{product}", Ct)).GetProperty("reserved").GetInt32();

        var before = (await Reserved(3), await Reserved(4));
        using var shortOrder = await Reserve(Guid.NewGuid(), (3, 1), (4, 1_000_000));
        Assert.Equal(HttpStatusCode.Conflict, shortOrder.StatusCode);
        Assert.Equal(before, (await Reserved(3), await Reserved(4)));

        var orderId = Guid.NewGuid();
        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Reserve(orderId, (3, 2))));
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        Assert.All(answers, a => Assert.True(a.IsSuccessStatusCode));
        Assert.Equal(before.Item1 + 2, await Reserved(3));
        foreach (var a in answers)
        {
            a.Dispose();
        }
    }
}
