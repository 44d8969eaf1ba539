using System.Net;
using System.Net.Http.Json;
using Shop.Tests.Edge;

namespace Shop.Tests.Ordering;

/// <summary>POST /api/v1/orders at the edge: Idempotency-Key (IETF draft), validation, authentication.</summary>
public sealed class PlaceOrderTests(ShopAppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private HttpClient Gateway => fixture.Gateway;

    private async Task<(string Customer, int Product)> SetUpAsync()
    {
        var admin = await ShopClient.AdminAsync(fixture, Ct);
        var product = await OrderFlow.NewProductAsync(Gateway, admin.AccessToken, 10m, 20, Ct);
        var (_, customer) = await ShopClient.NewCustomerAsync(Gateway, Ct);
        return (customer.AccessToken, product);
    }

    [Fact]
    public async Task the_same_key_and_body_get_the_same_answer_and_one_order()
    {
        var (customer, product) = await SetUpAsync();
        var key = Guid.NewGuid().ToString();

        using var first = await Gateway.SendAsync(OrderFlow.PlaceRequest(customer, key, OrderFlow.Body(product, 2)), Ct);
        using var second = await Gateway.SendAsync(OrderFlow.PlaceRequest(customer, key, OrderFlow.Body(product, 2)), Ct);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(Ct), await second.Content.ReadAsStringAsync(Ct));
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());

        var id = (await first.JsonAsync(Ct)).GetProperty("id").GetGuid();
        await OrderFlow.OrderAsync(Gateway, customer, id, Ct);
        var list = await OrderFlow.GetUntilAsync(Gateway, customer, "/api/v1/orders", l => l.GetProperty("total").GetInt32() >= 1, Ct);
        Assert.Equal(1, list.GetProperty("total").GetInt32());
        // Two units reserved once, then shipped: 20 - 2.
        await OrderFlow.StockAsync(Gateway, product, s => s.OnHand == 18 && s.Reserved == 0, Ct);
    }

    [Fact]
    public async Task the_same_key_with_another_body_is_422()
    {
        var (customer, product) = await SetUpAsync();
        var key = Guid.NewGuid().ToString();
        using var first = await Gateway.SendAsync(OrderFlow.PlaceRequest(customer, key, OrderFlow.Body(product, 1)), Ct);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);

        using var reused = await Gateway.SendAsync(OrderFlow.PlaceRequest(customer, key, OrderFlow.Body(product, 5)), Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        Assert.Equal("application/problem+json", reused.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Idempotency-Key reused", (await reused.JsonAsync(Ct)).GetProperty("title").GetString());
    }

    [Fact]
    public async Task another_customer_may_use_the_same_key()
    {
        var (customer, product) = await SetUpAsync();
        var (_, other) = await ShopClient.NewCustomerAsync(Gateway, Ct);
        var key = Guid.NewGuid().ToString();

        using var mine = await Gateway.SendAsync(OrderFlow.PlaceRequest(customer, key, OrderFlow.Body(product, 1)), Ct);
        using var theirs = await Gateway.SendAsync(OrderFlow.PlaceRequest(other.AccessToken, key, OrderFlow.Body(product, 1)), Ct);

        Assert.Equal(HttpStatusCode.Accepted, mine.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, theirs.StatusCode);
        Assert.NotEqual((await mine.JsonAsync(Ct)).GetProperty("id").GetGuid(), (await theirs.JsonAsync(Ct)).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task a_missing_key_is_400_and_nothing_is_ordered()
    {
        var (customer, product) = await SetUpAsync();

        using var response = await Gateway.SendAsync(OrderFlow.PlaceRequest(customer, key: null, OrderFlow.Body(product, 1)), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Idempotency-Key required", (await response.JsonAsync(Ct)).GetProperty("title").GetString());
        using var list = await Gateway.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/orders").With(customer), Ct);
        Assert.Equal(0, (await list.JsonAsync(Ct)).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task invalid_bodies_are_400_naming_each_field()
    {
        var (customer, _) = await SetUpAsync();
        var body = new { items = new[] { new { productId = 0, quantity = 0 } }, shippingAddress = new { name = "", street = "x", city = "y", postalCode = "1", country = "Netherlands" } };

        using var response = await Gateway.SendAsync(OrderFlow.PlaceRequest(customer, Guid.NewGuid().ToString(), body), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.JsonAsync(Ct)).GetProperty("errors");
        foreach (var field in new[] { "items[0].productId", "items[0].quantity", "shippingAddress.name", "shippingAddress.country" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }
    }

    [Fact]
    public async Task an_unknown_product_is_400_naming_the_line()
    {
        var (customer, product) = await SetUpAsync();
        var body = new { items = new[] { new { productId = product, quantity = 1 }, new { productId = 999_999_999, quantity = 1 } }, shippingAddress = OrderFlow.Address() };

        using var response = await Gateway.SendAsync(OrderFlow.PlaceRequest(customer, Guid.NewGuid().ToString(), body), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync(Ct)).GetProperty("errors").TryGetProperty("items[1].productId", out _));
    }

    [Fact]
    public async Task orders_need_a_signed_in_customer_at_the_gateway_and_at_ordering_itself()
    {
        using var anonymous = await Gateway.PostAsJsonAsync("/api/v1/orders", new { }, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var direct = fixture.App.CreateHttpClient("ordering");
        using var bypass = await direct.GetAsync("/api/v1/orders", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, bypass.StatusCode);
    }
}
