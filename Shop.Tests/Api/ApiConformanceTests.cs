using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Shop.Tests.Edge;
using Shop.Tests.Ordering;

namespace Shop.Tests.Api;

/// <summary>
/// The documents cannot drift from the code: the happy path of every operation in every public document, called
/// through the gateway, answers a documented status with a body that validates against that status's schema
/// (JsonSchema.Net, the document's component schemas inlined). An operation added without a happy path here fails
/// the test, as does one that answers something its document does not say.
/// </summary>
public sealed class ApiConformanceTests(ShopAppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task the_happy_path_of_every_documented_operation_answers_what_its_document_says()
    {
        var gateway = fixture.Gateway;
        var operations = (await ApiContract.OperationsAsync(gateway, Ct)).ToDictionary(o => o.OperationId);
        var covered = new HashSet<string>();
        var failures = new List<string>();

        async Task<JsonElement> CallAsync(string operationId, string path, object? body = null, string? token = null,
            string? idempotencyKey = null, int? expect = null, (string Name, string Value)? header = null)
        {
            Assert.True(operations.TryGetValue(operationId, out var operation), $"No documented operation {operationId}.");
            using var response = await ApiCallers.SendAsync(gateway, () =>
            {
                var request = new HttpRequestMessage(new HttpMethod(operation.Method), path);
                if (body is not null)
                {
                    request.Content = JsonContent.Create(body);
                }
                if (token is not null)
                {
                    request.With(token);
                }
                if (idempotencyKey is not null)
                {
                    request.Headers.Add("Idempotency-Key", idempotencyKey);
                }
                if (header is { } extra)
                {
                    request.Headers.TryAddWithoutValidation(extra.Name, extra.Value);
                }
                return request;
            }, Ct);
            var text = await response.Content.ReadAsStringAsync(Ct);
            var status = (int)response.StatusCode;
            covered.Add(operationId);
            if (expect is { } expected ? status != expected : status >= 300)
            {
                failures.Add($"{operation} {path}: answered {status}, expected {expect?.ToString(CultureInfo.InvariantCulture) ?? "success"}: {text}");
            }
            if (operation.Check(status, response.Content.Headers.ContentType?.MediaType, text) is { } mismatch)
            {
                failures.Add(mismatch);
            }
            return text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default;
        }

        // Identity: an account, its tokens, the keys.
        var email = ShopClient.NewEmail();
        await CallAsync("RegisterUser", "/api/v1/users", new { email, password = ShopClient.GoodPassword, displayName = "Conformance" });
        var issued = await CallAsync("IssueToken", "/api/v1/auth/token", new { email, password = ShopClient.GoodPassword });
        var refreshed = await CallAsync("RefreshAccessToken", "/api/v1/auth/refresh", new { refreshToken = issued.GetProperty("refreshToken").GetString() });
        var customer = refreshed.GetProperty("accessToken").GetString()!;
        await CallAsync("GetMe", "/api/v1/users/me", token: customer);
        await CallAsync("UpdateMe", "/api/v1/users/me", new { displayName = "Conformance Renamed" }, customer);
        await CallAsync("GetJwks", "/.well-known/jwks.json");
        await CallAsync("GetOpenIdConfiguration", "/.well-known/openid-configuration");
        var admin = (await ApiCallers.NewAdminAsync(fixture, Ct)).AccessToken;
        await CallAsync("RotateSigningKey", "/api/v1/admin/signing-keys", token: admin);

        // Catalog, both versions.
        await CallAsync("GetCategories", "/api/v1/categories");
        await CallAsync("GetProducts", "/api/v1/products?pageSize=5");
        await CallAsync("GetProductsV2", "/api/v2/products?pageSize=5");
        var product = (await CallAsync("CreateProduct", "/api/v1/products",
            new { name = $"Conformance {Guid.NewGuid():N}", description = "conformance", price = 12.5m, category = "Books", initialStock = 50 }, admin)).GetProperty("id").GetInt32();
        await CallAsync("GetProduct", $"/api/v1/products/{product}");
        await CallAsync("GetProductV2", $"/api/v2/products/{product}");
        await CallAsync("UpdateProduct", $"/api/v1/products/{product}",
            new { name = $"Conformance {Guid.NewGuid():N}", description = "conformance, repriced", price = 13.75m, category = "Books" }, admin);
        var doomed = (await CallAsync("CreateProduct", "/api/v1/products",
            new { name = $"Conformance {Guid.NewGuid():N}", price = 1m, category = "Books" }, admin)).GetProperty("id").GetInt32();
        await CallAsync("DeleteProduct", $"/api/v1/products/{doomed}", token: admin);

        // The same operations with the version in a header or the media type instead of the path (v1 by default).
        await CallAsync("GetCategoriesByHeader", "/api/categories", header: ("api-version", "1"));
        await CallAsync("GetProductsByHeader", "/api/products?pageSize=5");
        await CallAsync("GetProductsV2ByHeader", "/api/products?pageSize=5", header: ("api-version", "2"));
        await CallAsync("GetProductByHeader", $"/api/products/{product}", header: ("Accept", "application/json; v=1"));
        var v2 = await CallAsync("GetProductV2ByHeader", $"/api/products/{product}", header: ("Accept", "application/vnd.shop.v2+json"));
        Assert.Equal(JsonValueKind.Object, v2.GetProperty("price").ValueKind);
        var byHeader = (await CallAsync("CreateProductByHeader", "/api/products",
            new { name = $"Conformance {Guid.NewGuid():N}", price = 2m, category = "Books" }, admin, header: ("api-version", "1"))).GetProperty("id").GetInt32();
        await CallAsync("UpdateProductByHeader", $"/api/products/{byHeader}",
            new { name = $"Conformance {Guid.NewGuid():N}", description = "by header", price = 3m, category = "Books" }, admin, header: ("api-version", "1"));
        await CallAsync("DeleteProductByHeader", $"/api/products/{byHeader}", token: admin, header: ("api-version", "1"));

        // Inventory: the product's stock (once inventory has heard of it), and reservations.
        await OrderFlow.StockAsync(gateway, product, s => s.OnHand == 50, Ct);
        await CallAsync("GetStock", $"/api/v1/stock/{product}");
        await CallAsync("SetStock", $"/api/v1/stock/{product}", new { onHand = 60 }, admin);
        var released = Guid.NewGuid();
        await CallAsync("CreateReservation", "/api/v1/reservations", new { orderId = released, items = new[] { new { productId = product, quantity = 1 } } }, admin);
        await CallAsync("GetReservation", $"/api/v1/reservations/{released}", token: admin);
        await CallAsync("ReleaseReservation", $"/api/v1/reservations/{released}/release", token: admin);
        var shipped = Guid.NewGuid();
        await CallAsync("CreateReservation", "/api/v1/reservations", new { orderId = shipped, items = new[] { new { productId = product, quantity = 1 } } }, admin);
        await CallAsync("ShipReservation", $"/api/v1/reservations/{shipped}/ship", token: admin);

        // Ordering, payment, shipping: one order to completion, one (with a slow card) cancelled while it waits.
        var order = (await CallAsync("PlaceOrder", "/api/v1/orders", OrderFlow.Body(product, 1), customer, Guid.NewGuid().ToString())).GetProperty("id").GetGuid();
        await OrderFlow.OrderAsync(gateway, customer, order, Ct, "Completed");
        await CallAsync("GetOrder", $"/api/v1/orders/{order}", token: customer);
        await CallAsync("ListOrders", "/api/v1/orders?pageSize=5", token: customer);
        await CallAsync("GetPayment", $"/api/v1/payments?orderId={order}", token: customer);
        await CallAsync("GetShipment", $"/api/v1/shipments?orderId={order}", token: customer);
        var slow = (await CallAsync("PlaceOrder", "/api/v1/orders", OrderFlow.Body(product, 1, ShopAppFixture.SlowPaymentToken), customer, Guid.NewGuid().ToString())).GetProperty("id").GetGuid();
        await CallAsync("CancelOrder", $"/api/v1/orders/{slow}/cancel", token: customer);

        // Notification: the welcome message and the order's.
        var inbox = await OrderFlow.GetUntilAsync(gateway, customer, "/api/v1/notifications", n => n.GetProperty("items").GetArrayLength() > 0, Ct);
        await CallAsync("ListNotifications", "/api/v1/notifications?pageSize=5", token: customer);
        await CallAsync("GetUnreadNotificationCount", "/api/v1/notifications/unread-count", token: customer);
        await CallAsync("MarkNotificationRead", $"/api/v1/notifications/{inbox.GetProperty("items")[0].GetProperty("id").GetGuid()}/read", token: customer);

        // The gateway's own operations. A replay's success has no body; the documented 404 for an unknown id has one.
        await CallAsync("GetMySummary", "/api/v1/me/summary", token: customer);
        await CallAsync("ListDeadLetters", "/api/v1/admin/dead-letters", token: admin);
        await CallAsync("ReplayDeadLetter", $"/api/v1/admin/dead-letters/{Guid.NewGuid()}/replay", token: admin, expect: 404);

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        var untested = operations.Keys.Except(covered).Order().ToList();
        Assert.True(untested.Count == 0, $"Documented operations without a happy path in this test: {string.Join(", ", untested)}");
        // Guard against a vacuous pass: every document the gateway lists has operations.
        var documents = await ApiContract.IndexAsync(gateway, Ct);
        Assert.All(documents, d => Assert.Contains(operations.Values, o => o.Document == d.Url));
        Assert.Equal(9, documents.Count);
    }
}
