using Shop.Contracts;
using Shop.Inventory.Reservations;

namespace Shop.Inventory.Messaging;

/// <summary>
/// <c>ReleaseStock</c>, the saga's compensation: hands the reservation back. Always answers <c>StockReleased</c>, also
/// when there was nothing to release (never reserved, or released already), so compensation can always finish.
/// </summary>
public static partial class ReleaseStockHandler
{
    public static async Task<StockReleased> Handle(
        ReleaseStock command, ReservationService reservations, ILogger<ReservationService> logger, CancellationToken cancellationToken)
    {
        var result = await reservations.ReleaseAsync(command.OrderId, cancellationToken);
        if (result.Outcome == ChangeOutcome.Conflict)
        {
            // Shipped goods cannot be un-shipped; the saga only releases before shipping, so this is a late duplicate.
            LogShipped(logger, command.OrderId);
        }
        return new StockReleased(command.OrderId);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Release of order {OrderId} ignored: its reservation has shipped")]
    private static partial void LogShipped(ILogger logger, Guid orderId);
}
