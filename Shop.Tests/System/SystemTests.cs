using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Shop.Tests.System;

public sealed class SystemTests(ShopAppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record ProductDto(int Id, string Name, string? Description, decimal Price, string Category);
    private sealed record ProductPage(List<ProductDto> Items, int Page, int PageSize, int TotalCount);

    [Fact]
    public async Task every_resource_is_running_and_healthy()
    {
        var snapshots = (await fixture.App.SnapshotsAsync(Ct)).Where(e => e.Resource is not ParameterResource).GroupBy(e => e.Resource.Name).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(ShopAppFixture.AllResources.Order(), snapshots.Keys.Order());
        Assert.All(snapshots.Values.SelectMany(replicas => replicas), e =>
        {
            Assert.Equal(KnownResourceStates.Running, e.Snapshot.State?.Text);
            Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, e.Snapshot.HealthStatus);
            Assert.NotNull(e.Snapshot.StartTimeStamp);
        });
        Assert.Equal(2, snapshots["gateway"].Count);
        var catalogWaits = fixture.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == "catalog")
            .Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name);
        Assert.Superset(new HashSet<string> { "catalogdb", "messaging", "cache" }, catalogWaits.ToHashSet());
    }

    [Fact]
    public async Task products_through_the_gateway_are_the_seeded_catalog_in_pages()
    {
        // Other tests add products meanwhile: read until the three answers saw the same catalogue.
        ProductPage? page1 = null, page2 = null, all = null;
        for (var attempt = 0; attempt < 10 && (page1 is null || page1.TotalCount != all?.TotalCount || page1.TotalCount != page2?.TotalCount); attempt++)
        {
            page1 = await fixture.Gateway.GetFromJsonAsync<ProductPage>("/api/v1/products?page=1&pageSize=10", Ct);
            page2 = await fixture.Gateway.GetFromJsonAsync<ProductPage>("/api/v1/products?page=2&pageSize=10", Ct);
            all = await fixture.Gateway.GetFromJsonAsync<ProductPage>("/api/v1/products?pageSize=100", Ct);
        }

        Assert.NotNull(page1);
        Assert.NotNull(page2);
        Assert.NotNull(all);
        Assert.Equal(10, page1.Items.Count);
        Assert.Equal(10, page2.Items.Count);
        Assert.Equal((1, 10), (page1.Page, page1.PageSize));
        Assert.True(page1.TotalCount >= 50, $"expected at least 50 seeded products, got {page1.TotalCount}");
        Assert.Equal(page1.TotalCount, all.TotalCount);
        Assert.Empty(page1.Items.Select(p => p.Id).Intersect(page2.Items.Select(p => p.Id)));
        Assert.Equal(all.Items.Take(20).Select(p => p.Id), page1.Items.Concat(page2.Items).Select(p => p.Id));
        Assert.Equal(all.Items.Select(p => p.Name).Order(StringComparer.Ordinal), all.Items.Select(p => p.Name), StringComparer.Ordinal);
        Assert.True(all.Items.Select(p => p.Category).Distinct().Count() >= 5, "expected at least 5 categories");
        Assert.All(all.Items, p => Assert.True(p.Price > 0));

        var defaults = await fixture.Gateway.GetFromJsonAsync<ProductPage>("/api/v1/products", Ct);
        Assert.Equal((1, 20, 20), (defaults!.Page, defaults.PageSize, defaults.Items.Count));
    }

    [Fact]
    public async Task products_filter_by_category_and_by_text()
    {
        var all = await fixture.Gateway.GetFromJsonAsync<ProductPage>("/api/v1/products?pageSize=100", Ct);
        var category = all!.Items[0].Category;
        var byCategory = await fixture.Gateway.GetFromJsonAsync<ProductPage>($"/api/v1/products?pageSize=100&category={Uri.EscapeDataString(category.ToUpperInvariant())}", Ct);
        Assert.NotEmpty(byCategory!.Items);
        Assert.All(byCategory.Items, p => Assert.Equal(category, p.Category));
        Assert.Equal(all.Items.Count(p => p.Category == category), byCategory.TotalCount);

        var word = all.Items[^1].Name.Split(' ')[^1];
        var byText = await fixture.Gateway.GetFromJsonAsync<ProductPage>($"/api/v1/products?pageSize=100&q={Uri.EscapeDataString(word.ToLowerInvariant())}", Ct);
        Assert.Contains(byText!.Items, p => p.Id == all.Items[^1].Id);
        Assert.All(byText.Items, p => Assert.True(
            p.Name.Contains(word, StringComparison.OrdinalIgnoreCase) || (p.Description ?? "").Contains(word, StringComparison.OrdinalIgnoreCase)));

        var none = await fixture.Gateway.GetFromJsonAsync<ProductPage>("/api/v1/products?q=%25no-such-product%25", Ct);
        Assert.Equal(0, none!.TotalCount);
        Assert.Empty(none.Items);
    }

    [Theory]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=101", "pageSize")]
    [InlineData("pageSize=abc", "pageSize")]
    [InlineData("page=0", "page")]
    [InlineData("q=%00", "q")]
    [InlineData("q=a%01b", "q")]
    [InlineData("category=%00", "category")]
    public async Task an_invalid_paging_or_filter_value_is_a_400_problem_naming_the_field(string query, string field)
    {
        await AssertBadRequestAsync($"/api/v1/products?{query}", field);
        await AssertBadRequestAsync($"/api/v2/products?{query}", field);
    }

    private async Task AssertBadRequestAsync(string url, string field)
    {
        using var response = await fixture.Gateway.GetAsync(url, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
        var errors = problem.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"errors should name '{field}': {errors}");
        Assert.NotEmpty(messages.EnumerateArray());
    }

    [Fact]
    public async Task an_unknown_product_is_a_404_problem_and_a_known_one_is_returned()
    {
        var first = (await fixture.Gateway.GetFromJsonAsync<ProductPage>("/api/v1/products?pageSize=1", Ct))!.Items[0];
        var known = await fixture.Gateway.GetFromJsonAsync<ProductDto>($"/api/v1/products/{first.Id}", Ct);
        Assert.Equal(first, known);

        using var response = await fixture.Gateway.GetAsync("/api/v1/products/987654321", Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(404, problem.RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task the_gateway_answers_an_unknown_route_with_a_404_problem()
    {
        using var response = await fixture.Gateway.GetAsync("/api/v1/no-such-thing", Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(404, problem.RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task the_gateway_forwards_the_w3c_trace_context_to_catalog()
    {
        var traceId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/products/987654321");
        request.Headers.Add("traceparent", $"00-{traceId}-0123456789abcdef-01");
        using var response = await fixture.Gateway.SendAsync(request, Ct);

        // The 404 is catalog's own ProblemDetails; its traceId is catalog's activity, in the caller's trace.
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var seen = problem.RootElement.GetProperty("traceId").GetString();
        Assert.StartsWith($"00-{traceId}-", seen);
        Assert.DoesNotContain("0123456789abcdef", seen);
    }

    [Fact]
    public async Task services_that_only_publish_start_without_wolverines_no_handlers_warning()
    {
        // Wolverine's handler discovery is logged where it is expected (ordering has handlers) ...
        Assert.Contains(await fixture.App.LogLinesAsync("ordering", Ct), l => l.Contains("pre-generated Wolverine HandlerRegistry", StringComparison.Ordinal));
        // ... and catalog and identity, which only publish, do not warn that they found none.
        foreach (var service in new[] { "catalog", "identity" })
        {
            var lines = await fixture.App.LogLinesAsync(service, Ct);
            Assert.NotEmpty(lines);
            Assert.DoesNotContain(lines, l => l.Contains("found no handlers", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task health_and_liveness_endpoints_answer_on_every_service()
    {
        foreach (var service in new[] { "catalog", "gateway" })
        {
            using var client = fixture.App.CreateHttpClient(service);
            using var health = await client.GetAsync("/health", Ct);
            using var alive = await client.GetAsync("/alive", Ct);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
            Assert.Equal("Healthy", await health.Content.ReadAsStringAsync(Ct));
        }
    }

    [Fact]
    public async Task catalog_publishes_an_openapi_document_for_each_api_version()
    {
        using var client = fixture.App.CreateHttpClient("catalog");
        using var doc = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json", Ct));
        Assert.StartsWith("3.", doc.RootElement.GetProperty("openapi").GetString());
        var paths = doc.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/products", out _));
        Assert.True(paths.TryGetProperty("/api/v1/products/{id}", out _));

        using var v2 = JsonDocument.Parse(await client.GetStringAsync("/openapi/v2.json", Ct));
        var v2Paths = v2.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v2/products", v2Paths);
        Assert.DoesNotContain("/api/v1/products", v2Paths);
    }

    [Fact]
    public async Task the_catalog_process_received_the_aspire_environment_contract()
    {
        var env = ReadEnvironment(Assert.Single(await fixture.App.ProcessIdsOfAsync("catalog", Ct)));

        var db = new NpgsqlConnectionStringBuilder(env["ConnectionStrings__catalogdb"]);
        var server = new NpgsqlConnectionStringBuilder(await fixture.App.GetConnectionStringAsync("postgres", Ct));
        Assert.Equal("catalogdb", db.Database);
        Assert.Equal(("127.0.0.1", server.Port, "postgres"), (db.Host, db.Port, db.Username));
        Assert.False(string.IsNullOrEmpty(db.Password));
        Assert.Matches(@"^127\.0\.0\.1:\d+,password=\w+$", env["ConnectionStrings__cache"]);
        Assert.Equal("catalog", env["OTEL_SERVICE_NAME"]);
        Assert.Matches(@"^service.instance.id=\S+$", env["OTEL_RESOURCE_ATTRIBUTES"]);
        Assert.Matches(@"^http://localhost:\d+$", env["ASPNETCORE_URLS"]);
        Assert.Equal("Development", env["ASPNETCORE_ENVIRONMENT"]);
        Assert.Matches(@"^amqp://[^:@/]+:[^:@/]+@127\.0\.0\.1:\d+$", env["ConnectionStrings__messaging"]);
        // A service is handed only what it references: catalog knows nothing of ordering's database.
        Assert.False(env.ContainsKey("ConnectionStrings__orderingdb"), "catalog does not reference orderingdb");

        var gateway = await fixture.App.ProcessIdsOfAsync("gateway", Ct);
        Assert.Equal(2, gateway.Count);
        var gatewayEnv = ReadEnvironment(gateway[0]);
        Assert.Equal(fixture.App.GetEndpoint("catalog").ToString().TrimEnd('/'), gatewayEnv["services__catalog__http__0"]);
        Assert.NotEqual(env["ASPNETCORE_URLS"], gatewayEnv["services__catalog__http__0"]); // the stable proxy, not the process
    }

    private static Dictionary<string, string> ReadEnvironment(int pid)
        => File.ReadAllText($"/proc/{pid}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(kv => kv.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : "");
}
