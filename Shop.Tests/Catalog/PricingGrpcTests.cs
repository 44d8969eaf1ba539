using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shop.Tests.Edge;

namespace Shop.Tests.Catalog;

/// <summary>
/// Catalog's CatalogPricing service on its grpc endpoint (HTTP/2 without TLS, through the AppHost's proxy), called with
/// ordering's own client: service discovery, the resilience pipeline and the generated gRPC client, end to end.
/// </summary>
public sealed class PricingGrpcTests(ShopAppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private PricingClientHost Pricing() => new(fixture.App.GetEndpoint("catalog", "grpc"));

    [Fact]
    public async Task prices_of_seeded_products_match_the_rest_api_and_an_unknown_id_is_absent()
    {
        var page = await fixture.Gateway.GetFromJsonAsync<JsonElement>("/api/v1/products?page=1&pageSize=3", Ct);
        var ids = page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetInt32()).ToList();
        Assert.Equal(3, ids.Count);
        const int unknownId = 987_654_321;
        using var pricing = Pricing();

        var prices = await pricing.Client.GetPricesAsync([.. ids, unknownId, ids[0]], Ct);

        Assert.Equal(ids.Order(), prices.Keys.Order());
        foreach (var id in ids)
        {
            var rest = await fixture.Gateway.GetFromJsonAsync<JsonElement>($"/api/v2/products/{id}", Ct);
            Assert.Equal(rest.GetProperty("name").GetString(), prices[id].Name);
            Assert.Equal(rest.GetProperty("price").GetProperty("amount").GetDecimal(), prices[id].Price);
            Assert.Equal(rest.GetProperty("price").GetProperty("currency").GetString(), prices[id].Currency);
        }
    }

    [Fact]
    public async Task a_new_product_and_its_new_price_are_priced_at_once()
    {
        var admin = await ShopClient.AdminAsync(fixture, Ct);
        var name = $"Priced {Guid.NewGuid():N}";
        using var post = new HttpRequestMessage(HttpMethod.Post, "/api/v1/products")
        {
            Content = JsonContent.Create(new { name, price = 12.34m, category = "Books" }),
        };
        using var created = await fixture.Gateway.SendAsync(post.With(admin.AccessToken), Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.JsonAsync(Ct)).GetProperty("id").GetInt32();
        using var pricing = Pricing();

        var before = await pricing.Client.GetPricesAsync([id], Ct);
        using var put = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/products/{id}")
        {
            Content = JsonContent.Create(new { name, price = 0.05m, category = "Books" }),
        };
        using var updated = await fixture.Gateway.SendAsync(put.With(admin.AccessToken), Ct);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var after = await pricing.Client.GetPricesAsync([id], Ct);

        Assert.Equal((name, 12.34m), (before[id].Name, before[id].Price));
        Assert.Equal(0.05m, after[id].Price);
    }

    [Fact]
    public async Task the_gateway_does_not_route_the_grpc_service()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/shop.catalog.pricing.v1.CatalogPricing/GetPrices")
        {
            Content = new ByteArrayContent([0, 0, 0, 0, 0]),
        };
        request.Content.Headers.ContentType = new("application/grpc");

        using var response = await fixture.Gateway.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
