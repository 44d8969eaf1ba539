using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.Contracts;
using Shop.Shipping.Carrier;
using Shop.Shipping.Data;
using Shop.ServiceDefaults.Messaging;
using Wolverine.Runtime.Handlers;

namespace Shop.Shipping.Messaging;

/// <summary>
/// <c>CreateShipment</c> from the order saga: at most one shipment per order. A redelivered or duplicate command waits
/// for the first one (<see cref="ShippingDbContext.LockOrderAsync"/>) and is answered with its stored outcome; the
/// unique order id is the last line of defence. A transient carrier failure throws, and the whole handler runs again.
/// </summary>
public static class CreateShipmentHandler
{
    public const string AlreadyCancelled = "shipment already cancelled";

    public static void Configure(HandlerChain chain) => OutageRetries.Apply<CarrierUnavailableException>(chain);

    public static async Task<object> Handle(
        CreateShipment command, ShippingDbContext db, ShippingCarrier carrier, IOptions<ShippingOptions> options, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        await db.LockOrderAsync(command.OrderId, cancellationToken);
        var stored = await db.Shipments.AsNoTracking().SingleOrDefaultAsync(s => s.OrderId == command.OrderId, cancellationToken);
        if (stored is not null)
        {
            return Reply(stored);
        }

        if (ShipmentRules.Validate(command) is { } invalid)
        {
            return new ShipmentFailed(command.OrderId, invalid);
        }

        // An unserved country is an answer, stored like a booking, so a redelivery gets it even if the list changed since.
        var unserved = ShipmentRules.CheckCountry(command.Address.Country, options.Value);
        var trackingNumber = unserved is null ? await carrier.BookAsync(cancellationToken) : null;
        var shipment = Record(command, trackingNumber, unserved, clock.GetUtcNow());
        db.Shipments.Add(shipment);
        return Reply(shipment);
    }

    /// <summary>The row for a booked (<paramref name="trackingNumber"/>) or failed (<paramref name="failureReason"/>) shipment.</summary>
    public static Shipment Record(CreateShipment command, string? trackingNumber, string? failureReason, DateTimeOffset now)
    {
        if ((trackingNumber is null) == (failureReason is null))
        {
            throw new ArgumentException("A shipment is either booked, with a tracking number, or failed, with a reason.");
        }
        return new Shipment
        {
            Id = Guid.CreateVersion7(now),
            OrderId = command.OrderId,
            CustomerId = command.CustomerId,
            TrackingNumber = trackingNumber,
            Status = trackingNumber is null ? ShipmentStatus.Failed : ShipmentStatus.Created,
            FailureReason = failureReason,
            RecipientName = command.Address.Name.Trim(),
            Street = command.Address.Street.Trim(),
            City = command.Address.City.Trim(),
            PostalCode = command.Address.PostalCode.Trim(),
            Country = ShipmentRules.NormaliseCountry(command.Address.Country),
            ItemCount = ShipmentRules.ItemCount(command.Items),
            CreatedAt = now,
        };
    }

    /// <summary>The saga's answer for a stored shipment; the same whichever delivery asks.</summary>
    public static object Reply(Shipment shipment) => shipment.Status switch
    {
        ShipmentStatus.Created => new ShipmentCreated(shipment.OrderId, shipment.Id, shipment.TrackingNumber!),
        ShipmentStatus.Failed => new ShipmentFailed(shipment.OrderId, shipment.FailureReason!),
        // A create that arrives after its cancellation is a stale duplicate; the saga has moved on and ignores this.
        _ => new ShipmentFailed(shipment.OrderId, AlreadyCancelled),
    };
}
