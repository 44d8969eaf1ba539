using Shop.Contracts;
using Shop.Inventory.Reservations;

namespace Shop.Inventory.Messaging;

/// <summary>
/// A completed order has shipped: its reserved units leave the warehouse for good (on hand and reserved both go down).
/// Idempotent: a second delivery finds the reservation shipped and changes nothing.
/// </summary>
public static class OrderCompletedHandler
{
    public static Task Handle(OrderCompleted completed, ReservationService reservations, CancellationToken cancellationToken) =>
        reservations.ShipAsync(completed.OrderId, cancellationToken);
}
