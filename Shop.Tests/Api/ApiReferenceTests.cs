using System.Net;
using System.Text.Json;

namespace Shop.Tests.Api;

/// <summary>
/// The contract as a client finds it: every document at one public path on the gateway, anonymous, with no servers of
/// its own; the API reference page that lists them; and the cross-origin rules a browser client meets.
/// </summary>
public sealed class ApiReferenceTests(ShopAppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The development origin the AppHost allows (a front end's dev server).</summary>
    private const string AllowedOrigin = "http://localhost:5173";

    [Fact]
    public async Task every_service_publishes_its_documents_through_the_gateway_with_security_and_problem_responses()
    {
        var index = await ApiContract.IndexAsync(fixture.Gateway, Ct);
        Assert.Equal(
            ["catalog", "gateway", "identity", "inventory", "notification", "ordering", "payment", "shipping"],
            index.Select(d => d.Service).Distinct().Order());
        Assert.Equal(["v1", "v2"], index.Where(d => d.Service == "catalog").Select(d => d.Document).Order());

        foreach (var entry in index)
        {
            using var response = await fixture.Gateway.GetAsync(entry.Url, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
            var root = document.RootElement;
            Assert.StartsWith("3.1", root.GetProperty("openapi").GetString());
            // Paths are the gateway's: no server of the service's own address.
            Assert.False(root.TryGetProperty("servers", out var servers) && servers.GetArrayLength() > 0, $"{entry.Url} names servers: {servers}");
            Assert.Equal("bearer", root.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").GetProperty("scheme").GetString());
        }

        var operations = await ApiContract.OperationsAsync(fixture.Gateway, Ct);
        Assert.All(operations, o =>
        {
            Assert.Contains(o.Responses.Keys, status => status.StartsWith('2'));
            Assert.Contains("429", o.Responses.Keys);
            if (o.RequiresToken)
            {
                Assert.Contains("401", o.Responses.Keys);
            }
        });
        // Writes that need the admin role say so (403), and the order's POST names its required Idempotency-Key.
        Assert.Contains(operations, o => o.OperationId == "CreateProduct" && o.AdminOnly);
        Assert.Contains(operations, o => o.OperationId == "PlaceOrder" && o.Parameters.Any(p => p.Name == "Idempotency-Key" && p.In == "header" && p.Required));
        // The services' own dead-letter endpoints are internal: only the gateway's are public.
        Assert.Single(operations, o => o.Path == "/api/v1/admin/dead-letters");
    }

    [Fact]
    public async Task the_api_reference_page_lists_every_document_and_needs_no_token()
    {
        using var response = await fixture.Gateway.GetAsync("/api-reference/", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync(Ct);
        foreach (var entry in await ApiContract.IndexAsync(fixture.Gateway, Ct))
        {
            Assert.Contains($"\"url\":\"{entry.Url.TrimStart('/')}\"", html, StringComparison.Ordinal);
        }
        // The page's script is served by the gateway itself: no CDN.
        using var script = await fixture.Gateway.GetAsync("/api-reference/scalar.js", Ct);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.DoesNotContain("cdn.jsdelivr.net", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_preflight_from_an_allowed_origin_is_answered_and_other_origins_get_no_cors_headers()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/orders");
        preflight.Headers.Add("Origin", AllowedOrigin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type,idempotency-key");
        using (var answer = await fixture.Gateway.SendAsync(preflight, Ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
            Assert.Equal(AllowedOrigin, Single(answer, "Access-Control-Allow-Origin"));
            Assert.Contains("POST", Single(answer, "Access-Control-Allow-Methods"), StringComparison.Ordinal);
            Assert.Contains("Idempotency-Key", Single(answer, "Access-Control-Allow-Headers"), StringComparison.OrdinalIgnoreCase);
            // Bearer tokens, never cookies: credentials are not allowed.
            Assert.False(answer.Headers.Contains("Access-Control-Allow-Credentials"));
        }

        using var foreign = new HttpRequestMessage(HttpMethod.Options, "/api/v1/orders");
        foreign.Headers.Add("Origin", "http://evil.example");
        foreign.Headers.Add("Access-Control-Request-Method", "POST");
        using (var answer = await fixture.Gateway.SendAsync(foreign, Ct))
        {
            Assert.False(answer.Headers.Contains("Access-Control-Allow-Origin"));
        }

        // An actual cross-origin read: allowed, with the headers a client needs exposed; a cached answer (the edge
        // cache) carries the CORS headers of the request it answers, not of the one that filled the cache.
        foreach (var origin in (string?[])[AllowedOrigin, "http://localhost:3000", null, "http://evil.example"])
        {
            using var read = new HttpRequestMessage(HttpMethod.Get, "/api/v1/products?pageSize=3");
            if (origin is not null)
            {
                read.Headers.Add("Origin", origin);
            }
            using var answer = await fixture.Gateway.SendAsync(read, Ct);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            if (origin is null or "http://evil.example")
            {
                Assert.False(answer.Headers.Contains("Access-Control-Allow-Origin"), $"{origin}: {answer.Headers}");
            }
            else
            {
                Assert.Equal(origin, Single(answer, "Access-Control-Allow-Origin"));
                Assert.Contains("Retry-After", Single(answer, "Access-Control-Expose-Headers"), StringComparison.Ordinal);
            }
        }
    }

    private static string Single(HttpResponseMessage response, string header) =>
        Assert.Single(response.Headers.TryGetValues(header, out var values) ? values : []);
}
