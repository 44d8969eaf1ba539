using Shop.Inventory.Data;

namespace Shop.Inventory.Reservations;

/// <summary>An order's reservation as the API shows it.</summary>
public sealed record ReservationView(
    Guid OrderId, ReservationStatus Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, IReadOnlyList<ReservationView.Item> Items)
{
    public sealed record Item(int ProductId, int Quantity, ReservationStatus Status);

    public static ReservationView From(OrderReservation reservation) =>
        new(reservation.OrderId, reservation.Status, reservation.CreatedAt, reservation.UpdatedAt,
            reservation.Items.OrderBy(i => i.ProductId).Select(i => new Item(i.ProductId, i.Quantity, i.Status)).ToList());
}
