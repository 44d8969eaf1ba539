using Shop.Contracts;
using Shop.Inventory.Reservations;

namespace Shop.Inventory.Messaging;

/// <summary>
/// <c>ReserveStock</c> from the order saga: all lines or none. A redelivered command finds the reservation the first
/// delivery made and answers the same way, so an order is never reserved twice.
/// </summary>
public static class ReserveStockHandler
{
    public static async Task<object> Handle(ReserveStock command, ReservationService reservations, CancellationToken cancellationToken)
    {
        if (command.Items.Count == 0 || command.Items.Any(i => i.Quantity <= 0 || i.ProductId <= 0))
        {
            return new StockReservationFailed(command.OrderId, "The order has no valid lines.");
        }

        var lines = command.Items
            .GroupBy(i => i.ProductId)
            .Select(g => new ReservationLine(g.Key, g.Sum(i => i.Quantity)))
            .ToList();
        var result = await reservations.ReserveAsync(command.OrderId, lines, cancellationToken);
        return Reply(command.OrderId, result);
    }

    /// <summary>The saga's answer for each outcome (pure, so it is tested without a host).</summary>
    public static object Reply(Guid orderId, ReserveResult result) => result.Outcome switch
    {
        ReserveOutcome.Reserved => new StockReserved(orderId),
        ReserveOutcome.AlreadyExists when result.Reservation!.Status == Data.ReservationStatus.Reserved => new StockReserved(orderId),
        // Released or shipped before: this is a stale duplicate; the saga ignores a reply for a step it has left.
        ReserveOutcome.AlreadyExists => new StockReservationFailed(orderId, $"The order's reservation is already {result.Reservation!.Status.ToString().ToLowerInvariant()}."),
        _ => new StockReservationFailed(orderId, Describe(result.Shortages)),
    };

    private static string Describe(IReadOnlyList<StockShortage> shortages) =>
        "Insufficient stock: " + string.Join(", ", shortages.Select(s => $"product {s.ProductId} (requested {s.Requested}, available {s.Available})"));
}
