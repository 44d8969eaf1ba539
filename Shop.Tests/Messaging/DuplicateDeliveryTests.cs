using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Shop.Contracts;
using Shop.Tests.Edge;
using Shop.Tests.Ordering;
using Shop.Tests.Payment;

namespace Shop.Tests.Messaging;

/// <summary>
/// At-least-once delivery means commands arrive more than once. Each command here is delivered three times: twice
/// with the same envelope id (the inbox drops the copy) and once more under a new id (as a sender that retried after
/// a lost acknowledgement would do), which only business idempotency can catch. Exactly one effect must remain, each
/// envelope id is in the service's inbox once, as handled, and no copy ends as a dead letter: the copy with a known id
/// fails on the inbox's key when it commits, is rolled back whole and dropped, not retried into the error queue.
/// </summary>
public sealed class DuplicateDeliveryTests(ShopAppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private HttpClient Gateway => fixture.Gateway;

    private readonly Dictionary<string, List<Guid>> _sent = [];

    private async Task DeliverThriceAsync(Broker broker, string queue, object command)
    {
        var id = Guid.NewGuid();
        var other = Guid.NewGuid();
        await broker.SendAsync(queue, command, id, Ct);
        await broker.SendAsync(queue, command, id, Ct);
        await broker.SendAsync(queue, command, other, Ct);
        var database = queue + "db";
        if (!_sent.TryGetValue(database, out var ids))
        {
            _sent[database] = ids = [];
        }
        ids.AddRange([id, other]);
    }

    [Fact]
    public async Task every_command_delivered_more_than_once_has_one_effect()
    {
        var admin = (await ShopClient.AdminAsync(fixture, Ct)).AccessToken;
        var product = await OrderFlow.NewProductAsync(Gateway, admin, 10m, 10, Ct);
        var orderId = Guid.NewGuid();
        var customerId = Guid.NewGuid();
        await using var broker = await Broker.ConnectAsync(fixture, Ct);

        await DeliverThriceAsync(broker, Queues.Inventory, new ReserveStock(orderId, [new OrderLine(product, 3)]));
        await DeliverThriceAsync(broker, Queues.Payment, new ChargePayment(orderId, customerId, 30m, "EUR", null));
        await DeliverThriceAsync(broker, Queues.Shipping,
            new CreateShipment(orderId, customerId, new ShippingAddress("Ada", "Main 1", "Utrecht", "3511", "NL"), [new OrderLine(product, 3)]));

        var reservation = await OrderFlow.GetUntilAsync(Gateway, admin, $"/api/v1/reservations/{orderId}", _ => true, Ct);
        Assert.Equal(3, reservation.GetProperty("items").EnumerateArray().Single().GetProperty("quantity").GetInt32());
        var payments = await OrderFlow.GetUntilAsync(Gateway, admin, $"/api/v1/payments?orderId={orderId}", _ => true, Ct);
        var shipments = await OrderFlow.GetUntilAsync(Gateway, admin, $"/api/v1/shipments?orderId={orderId}", _ => true, Ct);

        // Give every copy time to be handled, then check the effects once more: still one of each.
        await broker.SendAsync(Queues.Inventory, new ReserveStock(orderId, [new OrderLine(product, 3)]), Guid.NewGuid(), Ct);
        var stock = await OrderFlow.StockAsync(Gateway, product, s => s.Reserved == 3, Ct);
        Assert.Equal(new OrderFlow.Stock(10, 3, 7), stock);
        Assert.Equal(30m, Single(payments).GetProperty("amount").GetDecimal());
        Assert.Equal(Single(shipments).GetProperty("trackingNumber").GetString(),
            Single(await OrderFlow.GetUntilAsync(Gateway, admin, $"/api/v1/shipments?orderId={orderId}", _ => true, Ct)).GetProperty("trackingNumber").GetString());

        // Compensations are idempotent too: the books end balanced.
        await DeliverThriceAsync(broker, Queues.Inventory, new ReleaseStock(orderId, "test"));
        await DeliverThriceAsync(broker, Queues.Payment, new RefundPayment(orderId, "test"));
        await DeliverThriceAsync(broker, Queues.Shipping, new CancelShipment(orderId, "test"));
        Assert.Equal(new OrderFlow.Stock(10, 0, 10), await OrderFlow.StockAsync(Gateway, product, s => s.Reserved == 0, Ct));
        var refunded = await OrderFlow.GetUntilAsync(Gateway, admin, $"/api/v1/payments?orderId={orderId}",
            p => Single(p).GetProperty("status").GetString() == "Refunded", Ct);
        Assert.Equal(30m, Single(refunded).GetProperty("amount").GetDecimal());
        await OrderFlow.GetUntilAsync(Gateway, admin, $"/api/v1/shipments?orderId={orderId}",
            s => Single(s).GetProperty("status").GetString() == "Cancelled", Ct);

        foreach (var (database, ids) in _sent)
        {
            await ServiceQueue.WaitUntilHandledAsync(fixture, database, ids, TimeSpan.FromSeconds(30), Ct);
            // A copy that was not dropped would be retried three times (1.3 s of cooldowns) and then dead-lettered.
            await Task.Delay(TimeSpan.FromSeconds(2), Ct);
            Assert.Equal(0, await DeadLettersAsync(database, ids));
        }
    }

    private async Task<long> DeadLettersAsync(string database, List<Guid> ids)
    {
        await using var connection = new NpgsqlConnection(await fixture.App.GetConnectionStringAsync(database, Ct));
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM wolverine.wolverine_dead_letters WHERE id = ANY(@ids)", connection);
        command.Parameters.AddWithValue("ids", ids.ToArray());
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    private static JsonElement Single(JsonElement body) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty("items", out var items) ? items.EnumerateArray().Single()
        : body.ValueKind == JsonValueKind.Array ? body.EnumerateArray().Single() : body;
}
