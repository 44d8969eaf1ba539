using System.Globalization;
using Npgsql;

namespace Shop.Tests.Ordering;

/// <summary>
/// After the whole suite (ShopAppFixture's cleanup), the books must balance, read straight from the
/// services' databases:
/// <list type="bullet">
/// <item>money: for every finished order, what payment kept (charged minus refunded) is the order's total when it
/// completed and nothing when it was cancelled; so charges − refunds = the value of completed orders;</item>
/// <item>stock: every product's reserved units are exactly the units of the reservations still held.</item>
/// </list>
/// Late compensations (a charge that outran its deadline) may still be on their way, so money is checked until it
/// balances or a deadline passes.
/// </summary>
public static class BooksBalance
{
    public static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Null when the books balance, else what does not.</summary>
    public static async Task<string?> CheckAsync(DistributedApplication app, CancellationToken ct)
    {
        var orders = await QueryAsync(app, "orderingdb",
            """SELECT "Id", "Status", "Total" FROM "Orders" WHERE "Status" IN ('Completed', 'Cancelled')""",
            r => (Id: r.GetGuid(0), Status: r.GetString(1), Total: r.GetDecimal(2)), ct);

        var deadline = DateTime.UtcNow + SettleTimeout;
        List<string> moneyErrors;
        decimal kept, completedValue;
        while (true)
        {
            var payments = (await QueryAsync(app, "paymentdb",
                """SELECT "OrderId", CASE "Status" WHEN 'Declined' THEN 0 ELSE "Amount" - "RefundedAmount" END FROM "Payments" """,
                r => (OrderId: r.GetGuid(0), Kept: r.GetDecimal(1)), ct)).ToDictionary(p => p.OrderId, p => p.Kept);
            moneyErrors = orders
                .Select(o => (o.Id, o.Status, Expected: o.Status == "Completed" ? o.Total : 0m, Kept: payments.GetValueOrDefault(o.Id)))
                .Where(o => o.Expected != o.Kept)
                .Select(o => $"order {o.Id} ({o.Status}): payment kept {o.Kept}, expected {o.Expected}")
                .ToList();
            kept = orders.Sum(o => payments.GetValueOrDefault(o.Id));
            completedValue = orders.Where(o => o.Status == "Completed").Sum(o => o.Total);
            if (moneyErrors.Count == 0 || DateTime.UtcNow > deadline)
            {
                break;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
        }

        var stockErrors = await QueryAsync(app, "inventorydb",
            """
            SELECT s."ProductId", s."Reserved", COALESCE(SUM(r."Quantity") FILTER (WHERE r."Status" = 'Reserved'), 0)
            FROM "StockItems" s LEFT JOIN "Reservations" r ON r."ProductId" = s."ProductId"
            GROUP BY s."ProductId", s."Reserved"
            HAVING s."Reserved" <> COALESCE(SUM(r."Quantity") FILTER (WHERE r."Status" = 'Reserved'), 0)
            """,
            r => $"product {r.GetInt32(0)}: {r.GetInt32(1)} reserved, but reservations hold {r.GetInt64(2)}", ct);

        var errors = moneyErrors.Concat(stockErrors).ToList();
        return errors.Count == 0
            ? null
            : string.Create(CultureInfo.InvariantCulture,
                $"The books do not balance ({orders.Count} finished orders; payment kept {kept}, completed orders are worth {completedValue}):{Environment.NewLine}  ") +
              string.Join(Environment.NewLine + "  ", errors.Take(20));
    }

    private static async Task<List<T>> QueryAsync<T>(DistributedApplication app, string database, string sql, Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(await app.GetConnectionStringAsync(database, ct));
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(read(reader));
        }
        return rows;
    }
}
