using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Shop.Bench.Startup;

/// <summary>What the benchmarks do as a user of the public API, through the gateway: log in, sign up, add a product, order.</summary>
internal static class ShopClient
{
    public static async Task<string> LoginAsync(HttpClient http, string email, string password)
    {
        using var response = await http.PostAsJsonAsync("/api/v1/auth/token", new { email, password });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    public static async Task<string> NewCustomerAsync(HttpClient http)
    {
        var email = $"bench-{Guid.NewGuid():N}@example.test";
        (await http.PostAsJsonAsync("/api/v1/users", new { email, password = "bench-password-1", displayName = "Bench" })).EnsureSuccessStatusCode();
        return await LoginAsync(http, email, "bench-password-1");
    }

    public static async Task<int> CreateProductAsync(HttpClient http, string admin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/products")
        {
            Content = JsonContent.Create(new { name = $"Bench {Guid.NewGuid():N}", price = 10m, category = "Books", initialStock = 1_000_000 }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        for (var i = 0; i < 200; i++)
        {
            using var stock = await http.GetAsync($"/api/v1/stock/{id}");
            if (stock.IsSuccessStatusCode) return id;
            await Task.Delay(50);
        }
        throw new InvalidOperationException("the product's stock never appeared");
    }

    public static async Task<(Guid Id, TimeSpan Post)> PlaceAsync(HttpClient http, string token, int product)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders")
        {
            Content = JsonContent.Create(new
            {
                items = new[] { new { productId = product, quantity = 1 } },
                shippingAddress = new { name = "Bench", street = "Main 1", city = "Utrecht", postalCode = "3511", country = "NL" },
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var watch = Stopwatch.StartNew();
        using var response = await http.SendAsync(request);
        var elapsed = watch.Elapsed;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST /orders: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        return ((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(), elapsed);
    }

    public static async Task<JsonElement> WaitTerminalAsync(HttpClient http, string token, (Guid Id, TimeSpan Post) order, int pollMs = 20)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(3))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/orders/{order.Id}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request);
            if (response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                if (body.GetProperty("status").GetString() is "Completed" or "Cancelled") return body;
            }
            await Task.Delay(pollMs);
        }
        throw new TimeoutException($"order {order.Id} did not finish within 3 minutes");
    }

    /// <summary>
    /// The first order of a freshly started system, as a user places it: sign up, log in, order an existing product,
    /// and the time from the POST to seeing it Completed (polled every 20 ms), plus the server's own createdAt→completedAt.
    /// </summary>
    public static async Task<(TimeSpan Seen, TimeSpan Server)> FirstOrderAsync(Uri gateway)
    {
        using var http = new HttpClient { BaseAddress = gateway };
        var token = await NewCustomerAsync(http);
        using var products = await http.GetAsync("/api/v1/products?pageSize=1");
        products.EnsureSuccessStatusCode();
        var product = (await products.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items")[0].GetProperty("id").GetInt32();
        var watch = Stopwatch.StartNew();
        var order = await WaitTerminalAsync(http, token, await PlaceAsync(http, token, product));
        var seen = watch.Elapsed;
        if (order.GetProperty("status").GetString() != "Completed")
        {
            throw new InvalidOperationException($"the first order ended {order.GetProperty("status").GetString()}");
        }
        return (seen, order.GetProperty("completedAt").GetDateTimeOffset() - order.GetProperty("createdAt").GetDateTimeOffset());
    }
}
