using Microsoft.EntityFrameworkCore;
using Npgsql;
using Shop.Inventory.Data;

namespace Shop.Inventory.Reservations;

/// <summary>
/// Applies <see cref="StockReservation"/> to the database: each call is one transaction that locks what it changes,
/// runs one domain operation on the locked rows and saves. The HTTP endpoints use it now, the saga's handlers later.
/// </summary>
/// <remarks>
/// Concurrency, pessimistic so that contended products queue instead of failing and retrying:
/// <list type="bullet">
/// <item>Stock rows are locked with <c>SELECT ... FOR UPDATE</c> in product-id order, so two orders sharing products
/// always lock them in the same order and never deadlock each other. Release and ship lock the order row first,
/// then its stock rows; reserve has no order row to lock yet.</item>
/// <item>Reserve reads the order's existing reservation after taking the stock locks: a duplicate that waited on the
/// same rows then sees the first one's committed reservation and returns it.</item>
/// <item>Duplicates that share no product do not wait on each other; the order id primary key and the unique
/// (OrderId, ProductId) key stop the second insert, which is then answered with the reservation that won.</item>
/// <item>The <c>xmin</c> concurrency token and the CHECK constraints are the last line of defence: an update on a row
/// changed behind our back fails instead of breaking <c>0 &lt;= Reserved &lt;= OnHand</c>.</item>
/// </list>
/// Inside a message handler the transaction is the handler's own (Wolverine's EF Core transaction, with the reply
/// messages and the inbox record in it): the service then joins it and leaves the commit to the handler, and a failure is retried by Wolverine,
/// which re-runs the whole handler. Called from HTTP, it opens and commits its own transaction.
/// </remarks>
public sealed class ReservationService(InventoryDbContext db, TimeProvider clock)
{
    public async Task<ReserveResult> ReserveAsync(Guid orderId, IReadOnlyList<ReservationLine> lines, CancellationToken cancellationToken)
    {
        try
        {
            var strategy = db.Database.CreateExecutionStrategy();
            return await strategy.ExecuteAsync(ct => ReserveInTransactionAsync(orderId, lines, ct), cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }
            && !InCallersTransaction)
        {
            // A concurrent request for the same order committed first; its reservation is the answer to this one too.
            db.ChangeTracker.Clear();
            var winner = await FindAsync(orderId, cancellationToken)
                ?? throw new InvalidOperationException($"Order {orderId} hit a unique key but has no reservation.", ex);
            return ReserveResult.Existing(winner);
        }
    }

    public Task<ChangeResult> ReleaseAsync(Guid orderId, CancellationToken cancellationToken) =>
        ChangeAsync(orderId, static (reservations, id) => reservations.Release(id), cancellationToken);

    public Task<ChangeResult> ShipAsync(Guid orderId, CancellationToken cancellationToken) =>
        ChangeAsync(orderId, static (reservations, id) => reservations.Ship(id), cancellationToken);

    /// <summary>The order's reservation with its items, untracked; null when it has none.</summary>
    public Task<OrderReservation?> FindAsync(Guid orderId, CancellationToken cancellationToken) =>
        db.OrderReservations.AsNoTracking().Include(o => o.Items).SingleOrDefaultAsync(o => o.OrderId == orderId, cancellationToken);

    /// <summary>A caller's transaction is open (a message handler's): join it, and let the caller commit.</summary>
    private bool InCallersTransaction => db.Database.CurrentTransaction is not null;

    private async Task<ReserveResult> ReserveInTransactionAsync(Guid orderId, IReadOnlyList<ReservationLine> lines, CancellationToken ct)
    {
        var joined = InCallersTransaction;
        db.ChangeTracker.Clear();
        await using var transaction = joined ? null : await db.Database.BeginTransactionAsync(ct);

        var stock = await LockStockAsync(lines.Select(l => l.ProductId), ct);
        var existing = await db.OrderReservations.Include(o => o.Items).SingleOrDefaultAsync(o => o.OrderId == orderId, ct);

        var result = new StockReservation(stock, existing is null ? [] : [existing], clock).Reserve(orderId, lines);
        if (result.Outcome == ReserveOutcome.Reserved)
        {
            db.OrderReservations.Add(result.Reservation!);
            await db.SaveChangesAsync(ct);
            if (transaction is not null)
            {
                await transaction.CommitAsync(ct);
            }
        }
        return result;
    }

    private async Task<ChangeResult> ChangeAsync(
        Guid orderId, Func<StockReservation, Guid, ChangeResult> change, CancellationToken cancellationToken)
    {
        var joined = InCallersTransaction;
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = joined ? null : await db.Database.BeginTransactionAsync(ct);

            // The order row first: a concurrent release and ship of the same order take turns here.
            var orders = await db.OrderReservations
                .FromSql($"""SELECT * FROM "OrderReservations" WHERE "OrderId" = {orderId} FOR UPDATE""")
                .ToListAsync(ct);
            // Tracked, so EF attaches the lines to the order's Items.
            await db.Reservations.Where(r => r.OrderId == orderId).LoadAsync(ct);
            var stock = await LockStockAsync(orders.SelectMany(o => o.Items).Select(i => i.ProductId), ct);

            var result = change(new StockReservation(stock, orders, clock), orderId);
            if (result.Outcome == ChangeOutcome.Applied)
            {
                await db.SaveChangesAsync(ct);
                if (transaction is not null)
                {
                    await transaction.CommitAsync(ct);
                }
            }
            return result;
        }, cancellationToken);
    }

    /// <summary>Locks the stock rows of these products, always in product-id order (see the class remarks).</summary>
    private async Task<List<StockItem>> LockStockAsync(IEnumerable<int> productIds, CancellationToken ct)
    {
        var ids = productIds.Distinct().Order().ToArray();
        if (ids.Length == 0)
        {
            return [];
        }
        // xmin is a system column, so "*" alone would not return the concurrency token EF needs.
        return await db.StockItems
            .FromSql($"""SELECT *, xmin FROM "StockItems" WHERE "ProductId" = ANY({ids}) ORDER BY "ProductId" FOR UPDATE""")
            .ToListAsync(ct);
    }
}
