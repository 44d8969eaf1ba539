using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shop.Tests.Edge;

namespace Shop.Tests.Ordering;

/// <summary>What the order tests do through the gateway: products with stock, orders, and polls with deadlines.</summary>
public static class OrderFlow
{
    public static readonly TimeSpan SagaDeadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public static object Address(string country = "NL") =>
        new { name = "Ada Lovelace", street = "Main Street 1", city = "Utrecht", postalCode = "3511 AA", country };

    /// <summary>A new product with <paramref name="stock"/> units on hand, created by the admin; waits until inventory has its stock row.</summary>
    public static async Task<int> NewProductAsync(HttpClient gateway, string adminToken, decimal price, int stock, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/products")
        {
            Content = JsonContent.Create(new { name = $"Order Test {Guid.NewGuid():N}", description = "for an order test", price, category = "Books", initialStock = stock }),
        }.With(adminToken);
        using var created = await gateway.SendAsync(request, ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.JsonAsync(ct)).GetProperty("id").GetInt32();
        await StockAsync(gateway, id, s => s.OnHand == stock, ct);
        return id;
    }

    public sealed record Stock(int OnHand, int Reserved, int Available);

    /// <summary>The product's stock once <paramref name="until"/> holds (fails after the deadline with the last value).</summary>
    public static async Task<Stock> StockAsync(HttpClient gateway, int productId, Func<Stock, bool> until, CancellationToken ct)
    {
        Stock? last = null;
        return await PollAsync(async () =>
        {
            using var response = await gateway.GetAsync($"/api/v1/stock/{productId}", ct);
            if (!response.IsSuccessStatusCode)
            {
                return (false, last);
            }
            var json = await response.JsonAsync(ct);
            last = new Stock(json.GetProperty("onHand").GetInt32(), json.GetProperty("reserved").GetInt32(), json.GetProperty("available").GetInt32());
            return (until(last), last);
        }, $"stock of product {productId}", () => last, ct) ?? throw new InvalidOperationException("unreachable");
    }

    public static HttpRequestMessage PlaceRequest(string token, string? key, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders") { Content = JsonContent.Create(body) }.With(token);
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }
        return request;
    }

    public static object Body(int productId, int quantity, string? paymentToken = null, string country = "NL") =>
        new { items = new[] { new { productId, quantity } }, shippingAddress = Address(country), paymentToken };

    /// <summary>Places an order and returns its id (asserting 202 and the Location header).</summary>
    public static async Task<Guid> PlaceAsync(HttpClient gateway, string token, object body, CancellationToken ct)
    {
        using var response = await gateway.SendAsync(PlaceRequest(token, Guid.NewGuid().ToString(), body), ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {text}");
        var id = JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/orders/{id}", response.Headers.Location?.OriginalString);
        return id;
    }

    /// <summary>The order once its status is one of <paramref name="statuses"/> (default: a final one).</summary>
    public static async Task<JsonElement> OrderAsync(HttpClient gateway, string token, Guid id, CancellationToken ct, params string[] statuses)
    {
        if (statuses.Length == 0)
        {
            statuses = ["Completed", "Cancelled"];
        }
        JsonElement last = default;
        return await PollAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/orders/{id}").With(token);
            using var response = await gateway.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode)
            {
                return (false, last);
            }
            last = await response.JsonAsync(ct);
            return (statuses.Contains(last.GetProperty("status").GetString()), last);
        }, $"order {id} to be {string.Join(" or ", statuses)}", () => last.ValueKind == JsonValueKind.Undefined ? "(none)" : last.ToString(), ct);
    }

    /// <summary>GET <paramref name="path"/> as <paramref name="token"/> until <paramref name="until"/> holds for the JSON body.</summary>
    public static async Task<JsonElement> GetUntilAsync(HttpClient gateway, string token, string path, Func<JsonElement, bool> until, CancellationToken ct)
    {
        JsonElement last = default;
        return await PollAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path).With(token);
            using var response = await gateway.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode)
            {
                return (false, last);
            }
            last = await response.JsonAsync(ct);
            return (until(last), last);
        }, path, () => last.ValueKind == JsonValueKind.Undefined ? "(none)" : last.ToString(), ct);
    }

    public static string[] Steps(JsonElement order) =>
        order.GetProperty("history").EnumerateArray()
            .Select(s => $"{s.GetProperty("step").GetString()}:{s.GetProperty("outcome").GetString()}").ToArray();

    private static async Task<T> PollAsync<T>(Func<Task<(bool Done, T Value)>> attempt, string what, Func<object?> describe, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + SagaDeadline;
        while (true)
        {
            var (done, value) = await attempt();
            if (done)
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Waited {SagaDeadline.TotalSeconds} s for {what}; last seen: {describe()}");
            }
            await Task.Delay(PollInterval, ct);
        }
    }
}
