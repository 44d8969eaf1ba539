using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shop.Contracts;
using Shop.Tests.Messaging;

namespace Shop.Tests.Ordering;

/// <summary>
/// The read model hears an order's events on a queue handled several at a time, so a quick cancellation can be handled
/// at the same moment as the order's <c>OrderPlaced</c>. Both would insert the summary; the handlers of one order take
/// its lock and run one after the other, so neither fails (and logs an error) on the key.
/// </summary>
public sealed class ReadModelRaceTests(ShopAppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task an_order_placed_and_cancelled_at_the_same_moment_is_cancelled_in_the_list_without_a_failed_handler()
    {
        await using var broker = await Broker.ConnectAsync(fixture, Ct);
        var now = DateTimeOffset.UtcNow;
        var orders = Enumerable.Range(0, 10).Select(_ => Guid.NewGuid()).ToList();
        var envelopes = new List<Guid>();
        foreach (var orderId in orders)
        {
            var customerId = Guid.NewGuid();
            var placed = Guid.NewGuid();
            var cancelled = Guid.NewGuid();
            envelopes.AddRange([placed, cancelled]);
            await broker.SendAsync(Queues.Ordering, new OrderCancelled(orderId, customerId, OrderCancellationReasons.OutOfStock, "test", now), cancelled, Ct);
            await broker.SendAsync(Queues.Ordering, new OrderPlaced(orderId, customerId, [new OrderLine(1, 1)], 10m, "EUR", now), placed, Ct);
        }

        await using var db = new NpgsqlConnection(await fixture.App.GetConnectionStringAsync("orderingdb", Ct));
        await db.OpenAsync(Ct);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            await using var query = new NpgsqlCommand(
                "SELECT count(*) FROM \"OrderSummaries\" WHERE \"OrderId\" = ANY(@ids) AND \"Status\" = 'Cancelled' AND \"ItemCount\" = 1", db);
            query.Parameters.AddWithValue("ids", orders.ToArray());
            if ((long)(await query.ExecuteScalarAsync(Ct))! == orders.Count)
            {
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, "the summaries did not all end Cancelled with OrderPlaced's details");
            await Task.Delay(200, Ct);
        }

        var failures = (await fixture.App.LogLinesAsync("ordering", Ct))
            .Where(line => line.Contains("Failed to process message", StringComparison.Ordinal) && envelopes.Any(id => line.Contains(id.ToString(), StringComparison.Ordinal)))
            .ToList();
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }
}
