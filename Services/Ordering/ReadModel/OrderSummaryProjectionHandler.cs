using Shop.Contracts;
using Shop.Ordering.Data;

namespace Shop.Ordering.ReadModel;

/// <summary>
/// Keeps <see cref="OrderSummary"/> (the customer's order list) up to date from the published events, which reach
/// ordering's own queue like any other subscriber's (CQRS: the list never reads the saga's table). Events may arrive
/// twice, out of order or at the same moment: the handlers of one order take its lock first and run one after the
/// other, a final status is never overwritten, and a late <c>OrderPlaced</c> only fills in the row.
/// </summary>
public static class OrderSummaryProjectionHandler
{
    public const string Placed = "Placed";
    public const string Completed = "Completed";
    public const string Cancelled = "Cancelled";

    public static async Task Handle(OrderPlaced placed, OrderingDbContext db, OrderingMetrics metrics, CancellationToken ct)
    {
        await db.LockSummaryAsync(placed.OrderId, ct);
        var summary = await db.OrderSummaries.FindAsync([placed.OrderId], ct);
        if (summary is null)
        {
            db.OrderSummaries.Add(new OrderSummary
            {
                OrderId = placed.OrderId,
                CustomerId = placed.CustomerId,
                Status = Placed,
                Total = placed.Total,
                Currency = placed.Currency,
                ItemCount = placed.Items.Sum(i => i.Quantity),
                PlacedAt = placed.PlacedAt,
                UpdatedAt = placed.PlacedAt,
            });
            metrics.Placed();
            return;
        }
        summary.Total = placed.Total;
        summary.Currency = placed.Currency;
        summary.ItemCount = placed.Items.Sum(i => i.Quantity);
        summary.PlacedAt = placed.PlacedAt;
    }

    public static async Task Handle(OrderCompleted completed, OrderingDbContext db, OrderingMetrics metrics, CancellationToken ct)
    {
        await db.LockSummaryAsync(completed.OrderId, ct);
        var summary = await db.OrderSummaries.FindAsync([completed.OrderId], ct) ?? Add(db, completed.OrderId, completed.CustomerId);
        if (summary.Status is Completed or Cancelled)
        {
            return;
        }
        summary.Status = Completed;
        summary.Total = completed.Total;
        summary.Currency = completed.Currency;
        summary.TrackingNumber = completed.TrackingNumber;
        summary.UpdatedAt = completed.CompletedAt;
        metrics.Completed(completed.Total, completed.Currency, completed.CompletedAt - summary.PlacedAt);
    }

    public static async Task Handle(OrderCancelled cancelled, OrderingDbContext db, OrderingMetrics metrics, CancellationToken ct)
    {
        await db.LockSummaryAsync(cancelled.OrderId, ct);
        var summary = await db.OrderSummaries.FindAsync([cancelled.OrderId], ct) ?? Add(db, cancelled.OrderId, cancelled.CustomerId);
        if (summary.Status is Completed or Cancelled)
        {
            return;
        }
        summary.Status = Cancelled;
        summary.CancellationReason = cancelled.Reason;
        summary.UpdatedAt = cancelled.CancelledAt;
        metrics.Cancelled(cancelled.Reason, cancelled.CancelledAt - summary.PlacedAt);
    }

    /// <summary>A final event overtook OrderPlaced: start the row; OrderPlaced fills in the rest when it comes.</summary>
    private static OrderSummary Add(OrderingDbContext db, Guid orderId, Guid customerId)
    {
        var summary = new OrderSummary { OrderId = orderId, CustomerId = customerId, Status = Placed, PlacedAt = DateTimeOffset.UtcNow };
        db.OrderSummaries.Add(summary);
        return summary;
    }
}
