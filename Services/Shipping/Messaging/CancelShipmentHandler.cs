using Microsoft.EntityFrameworkCore;
using Shop.Contracts;
using Shop.Shipping.Carrier;
using Shop.Shipping.Data;
using Shop.ServiceDefaults.Messaging;
using Wolverine.Runtime.Handlers;

namespace Shop.Shipping.Messaging;

/// <summary>
/// <c>CancelShipment</c>, the saga's compensation. Always answers <c>ShipmentCancelled</c>, also when there was nothing
/// to cancel (no shipment, a failed one, or cancelled already), so compensation can always finish.
/// </summary>
public static partial class CancelShipmentHandler
{
    public static void Configure(HandlerChain chain) => OutageRetries.Apply<CarrierUnavailableException>(chain);

    public static async Task<ShipmentCancelled> Handle(
        CancelShipment command, ShippingDbContext db, ShippingCarrier carrier, TimeProvider clock, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        await db.LockOrderAsync(command.OrderId, cancellationToken);
        var shipment = await db.Shipments.SingleOrDefaultAsync(s => s.OrderId == command.OrderId, cancellationToken);
        if (shipment is { Status: ShipmentStatus.Created })
        {
            // The carrier first: if it fails, the row still says Created and the retry cancels.
            await carrier.CancelAsync(shipment.TrackingNumber!, cancellationToken);
            shipment.Cancel(clock.GetUtcNow());
            LogCancelled(loggers.CreateLogger(typeof(CancelShipmentHandler)), command.OrderId, shipment.TrackingNumber!, command.Reason);
        }
        return new ShipmentCancelled(command.OrderId);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: shipment {TrackingNumber} cancelled ({Reason})")]
    private static partial void LogCancelled(ILogger logger, Guid orderId, string trackingNumber, string reason);
}
