using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RabbitMQ.Client;
using Shop.Tests.Edge;

namespace Shop.Tests.Catalog;

/// <summary>
/// What catalog publishes, read straight off RabbitMQ: a queue of the test's own, bound to the
/// event's fanout exchange like any subscriber's, sees every event of that type.
/// </summary>
public sealed class CatalogEventsTests(ShopAppFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task creating_a_product_publishes_product_created_with_its_price_and_initial_stock()
    {
        await using var tap = await EventTap.BindAsync(fixture, "shop.ProductCreated", Ct);
        var admin = await ShopClient.AdminAsync(fixture, Ct);
        var name = $"Evented {Guid.NewGuid():N}";

        var id = await CreateAsync(admin.AccessToken, name, 21.50m, initialStock: 4);

        var created = await tap.NextAsync(e => e.Int("productId") == id, Ct);
        Assert.Equal(name, created.String("name"));
        Assert.Equal(21.50m, created.Decimal("price"));
        Assert.Equal(4, created.Int("initialStock"));
        Assert.Matches("^[A-Z]{3}$", created.String("currency"));
    }

    [Fact]
    public async Task only_an_update_that_changes_the_price_publishes_product_price_changed_with_old_and_new_price()
    {
        var admin = await ShopClient.AdminAsync(fixture, Ct);
        var name = $"Repriced {Guid.NewGuid():N}";
        var id = await CreateAsync(admin.AccessToken, name, 10.00m, initialStock: null);
        await using var tap = await EventTap.BindAsync(fixture, "shop.ProductPriceChanged", Ct);

        await UpdateAsync(admin.AccessToken, id, name, 10.00m, "same price, new words");
        await UpdateAsync(admin.AccessToken, id, name, 12.75m, "dearer");

        // Events of one product leave in commit order, so the first one for it is the second update's.
        var changed = await tap.NextAsync(e => e.Int("productId") == id, Ct);
        Assert.Equal(10.00m, changed.Decimal("oldPrice"));
        Assert.Equal(12.75m, changed.Decimal("newPrice"));
    }

    private async Task<int> CreateAsync(string token, string name, decimal price, int? initialStock)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/products")
        {
            Content = JsonContent.Create(new { name, price, category = "Books", initialStock }),
        };
        using var response = await fixture.Gateway.SendAsync(request.With(token), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync(Ct)).GetProperty("id").GetInt32();
    }

    private async Task UpdateAsync(string token, int id, string name, decimal price, string description)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/products/{id}")
        {
            Content = JsonContent.Create(new { name, price, category = "Books", description }),
        };
        using var response = await fixture.Gateway.SendAsync(request.With(token), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>A server-named, exclusive queue bound to one event exchange; gone when the test's connection closes.</summary>
    private sealed class EventTap : IAsyncDisposable
    {
        private readonly IConnection _connection;
        private readonly IChannel _channel;
        private readonly string _queue;

        private EventTap(IConnection connection, IChannel channel, string queue)
        {
            _connection = connection;
            _channel = channel;
            _queue = queue;
        }

        public static async Task<EventTap> BindAsync(ShopAppFixture fixture, string exchange, CancellationToken ct)
        {
            var uri = await fixture.App.GetConnectionStringAsync("messaging", ct)
                ?? throw new InvalidOperationException("no messaging connection string");
            var connection = await new ConnectionFactory { Uri = new Uri(uri) }.CreateConnectionAsync(ct);
            var channel = await connection.CreateChannelAsync(cancellationToken: ct);
            // Catalog declared the exchange at start-up; passive, so a wrong name fails here instead of waiting.
            await channel.ExchangeDeclarePassiveAsync(exchange, ct);
            var queue = await channel.QueueDeclareAsync(queue: "", durable: false, exclusive: true, autoDelete: true, cancellationToken: ct);
            await channel.QueueBindAsync(queue.QueueName, exchange, routingKey: "", cancellationToken: ct);
            return new EventTap(connection, channel, queue.QueueName);
        }

        /// <summary>The first event that matches, skipping others (other tests publish too), within the deadline.</summary>
        public async Task<JsonElement> NextAsync(Func<JsonElement, bool> match, CancellationToken ct)
        {
            var watch = Stopwatch.StartNew();
            while (true)
            {
                if (await _channel.BasicGetAsync(_queue, autoAck: true, ct) is { } delivered)
                {
                    using var document = JsonDocument.Parse(delivered.Body);
                    if (match(document.RootElement))
                    {
                        return document.RootElement.Clone();
                    }
                    continue;
                }
                Assert.True(watch.Elapsed < Deadline, $"no matching event on {_queue} within {Deadline.TotalSeconds} s");
                await Task.Delay(50, ct);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _channel.DisposeAsync();
            await _connection.DisposeAsync();
        }
    }
}

/// <summary>Reads an event's JSON fields ignoring case: the test does not depend on the serializer's naming policy.</summary>
internal static class EventJson
{
    public static JsonElement Field(this JsonElement json, string name) =>
        json.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Value;

    public static int Int(this JsonElement json, string name) => json.Field(name).GetInt32();

    public static decimal Decimal(this JsonElement json, string name) => json.Field(name).GetDecimal();

    public static string? String(this JsonElement json, string name) => json.Field(name).GetString();
}
