using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Shop.Tests.Edge;

public sealed class CatalogAdminTests(ShopAppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private HttpClient Gateway => fixture.Gateway;

    private static HttpRequestMessage NewProduct(string token, string name, decimal price = 12.50m, int? initialStock = null)
        => new HttpRequestMessage(HttpMethod.Post, "/api/v1/products")
        {
            Content = JsonContent.Create(new { name, description = "made by a test", price, category = "Books", initialStock }),
        }.With(token);

    [Fact]
    public async Task an_admin_creates_a_product_that_has_stock_and_is_readable_in_both_api_versions()
    {
        var admin = await ShopClient.AdminAsync(fixture, Ct);
        var name = $"Test Book {Guid.NewGuid():N}";

        using var created = await Gateway.SendAsync(NewProduct(admin.AccessToken, name, 19.99m, initialStock: 7), Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var product = await created.JsonAsync(Ct);
        var id = product.GetProperty("id").GetInt32();
        Assert.Equal($"/api/v1/products/{id}", created.Headers.Location?.OriginalString);

        Assert.Equal(7, product.GetProperty("initialStock").GetInt32());
        Assert.False(product.TryGetProperty("stockInitialized", out _), "stock is set by inventory from ProductCreated, later");

        // Inventory creates the stock row when ProductCreated reaches it, a moment after the 201.
        var stock = await StockOnceCreatedAsync(id);
        Assert.Equal(7, stock.GetProperty("onHand").GetInt32());
        Assert.Equal(7, stock.GetProperty("available").GetInt32());

        var v1 = await Gateway.GetFromJsonAsync<JsonElement>($"/api/v1/products/{id}", Ct);
        var v2 = await Gateway.GetFromJsonAsync<JsonElement>($"/api/v2/products/{id}", Ct);
        Assert.Equal(19.99m, v1.GetProperty("price").GetDecimal());
        Assert.Equal(19.99m, v2.GetProperty("price").GetProperty("amount").GetDecimal());
        Assert.Equal(3, v2.GetProperty("price").GetProperty("currency").GetString()!.Length);
        Assert.Equal(name, v2.GetProperty("name").GetString());
    }

    /// <summary>GET /api/v1/stock/{id} until it is there (404 until inventory has handled ProductCreated).</summary>
    private async Task<JsonElement> StockOnceCreatedAsync(int productId)
    {
        var deadline = TimeSpan.FromSeconds(10);
        var watch = global::System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            using var response = await Gateway.GetAsync($"/api/v1/stock/{productId}", Ct);
            if (response.StatusCode != HttpStatusCode.NotFound)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return await response.JsonAsync(Ct);
            }
            Assert.True(watch.Elapsed < deadline, $"product {productId} has no stock {deadline.TotalSeconds} s after it was created");
            await Task.Delay(100, Ct);
        }
    }

    [Fact]
    public async Task the_second_read_is_a_cache_hit_and_a_price_change_is_seen_on_the_next_read()
    {
        var admin = await ShopClient.AdminAsync(fixture, Ct);
        using var created = await Gateway.SendAsync(NewProduct(admin.AccessToken, $"Cached {Guid.NewGuid():N}", 10m), Ct);
        var id = (await created.JsonAsync(Ct)).GetProperty("id").GetInt32();

        using var first = await Gateway.GetAsync($"/api/v1/products/{id}", Ct);
        Assert.Equal("miss", first.Headers.GetValues("X-Cache").Single());
        // Any product write (other tests create products all the time) starts a new catalogue version, so the read
        // straight after may miss again; a quiet moment comes soon, and then the repeated read is a hit.
        HttpResponseMessage second;
        var attempts = 0;
        while (true)
        {
            second = await Gateway.GetAsync($"/api/v1/products/{id}", Ct);
            if (second.Headers.GetValues("X-Cache").Single() == "hit" || ++attempts == 50)
            {
                break;
            }
            second.Dispose();
            await Task.Delay(20, Ct);
        }
        using var _ = second;
        Assert.Equal("hit", second.Headers.GetValues("X-Cache").Single());

        using var put = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/products/{id}")
        {
            Content = JsonContent.Create(new { name = (await second.JsonAsync(Ct)).GetProperty("name").GetString(), description = "repriced", price = 11.25m, category = "Books" }),
        };
        using var updated = await Gateway.SendAsync(put.With(admin.AccessToken), Ct);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);

        var after = await Gateway.GetFromJsonAsync<JsonElement>($"/api/v1/products/{id}", Ct);
        Assert.Equal(11.25m, after.GetProperty("price").GetDecimal());
    }

    [Fact]
    public async Task a_customer_on_an_admin_route_is_403_and_no_token_is_401_at_the_gateway_and_at_catalog_itself()
    {
        var (_, customer) = await ShopClient.NewCustomerAsync(Gateway, Ct);

        using var forbidden = await Gateway.SendAsync(NewProduct(customer.AccessToken, "Nope"), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("application/problem+json", forbidden.Content.Headers.ContentType?.MediaType);

        using var catalog = fixture.App.CreateHttpClient("catalog");
        using var direct = await catalog.PostAsJsonAsync("/api/v1/products", new { name = "Bypass", price = 1m, category = "Books" }, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, direct.StatusCode);
        using var directCustomer = await catalog.SendAsync(NewProduct(customer.AccessToken, "Bypass"), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, directCustomer.StatusCode);
    }

    [Fact]
    public async Task invalid_product_fields_are_a_400_naming_each_field()
    {
        var admin = await ShopClient.AdminAsync(fixture, Ct);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/products")
        {
            Content = JsonContent.Create(new { name = "", price = -1m, category = "No Such Category" }),
        };
        using var response = await Gateway.SendAsync(request.With(admin.AccessToken), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.JsonAsync(Ct)).GetProperty("errors");
        foreach (var field in new[] { "name", "price", "category" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"errors should name {field}: {errors}");
        }
    }

    [Theory]
    [InlineData("/api/v3/products")]
    [InlineData("/api/v0/products/1")]
    public async Task an_unknown_api_version_in_the_path_is_a_404_problem(string path)
    {
        using var response = await Gateway.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("api-version", "1", "number")]
    [InlineData("api-version", "2", "object")]
    [InlineData("Accept", "application/json; v=2", "object")]
    [InlineData("Accept", "application/vnd.shop.v2+json", "object")]
    [InlineData("Accept", "application/json", "number")]
    public async Task the_version_may_come_in_a_header_or_the_media_type_on_the_unversioned_path(string header, string value, string priceKind)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/products/1");
        request.Headers.TryAddWithoutValidation(header, value);
        using var response = await Gateway.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(priceKind, (await response.JsonAsync(Ct)).GetProperty("price").ValueKind.ToString().ToLowerInvariant());
        Assert.Equal("1, 2", string.Join(", ", response.Headers.GetValues("api-supported-versions")));
    }

    [Theory]
    [InlineData("api-version", "3")]
    [InlineData("api-version", "not-a-version")]
    [InlineData("Accept", "application/vnd.shop.v9+json")]
    public async Task an_unsupported_version_in_a_header_or_the_media_type_is_the_librarys_400_problem(string header, string value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/products");
        request.Headers.TryAddWithoutValidation(header, value);
        using var response = await Gateway.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync(Ct);
        Assert.StartsWith("https://docs.api-versioning.org/problems#", problem.GetProperty("type").GetString());
        // The detail names the public path, not catalog's own address behind the gateway.
        Assert.DoesNotContain("localhost:", problem.GetProperty("detail").GetString()!.Replace(Gateway.BaseAddress!.Authority, "", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
