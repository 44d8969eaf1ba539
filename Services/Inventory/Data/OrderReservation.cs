namespace Shop.Inventory.Data;

public enum ReservationStatus
{
    /// <summary>The quantities are held: counted in <see cref="StockItem.Reserved"/>.</summary>
    Reserved,

    /// <summary>Handed back (order cancelled or compensated). Final: the order is never reserved again.</summary>
    Released,

    /// <summary>Left the warehouse: taken off <see cref="StockItem.OnHand"/> for good. Final.</summary>
    Shipped,
}

/// <summary>
/// The single reservation of one order. Its primary key is the order id, so a second reservation for the same order
/// cannot be stored, even by two requests racing each other.
/// </summary>
public sealed class OrderReservation
{
    public Guid OrderId { get; set; }

    public ReservationStatus Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public List<Reservation> Items { get; } = [];
}

/// <summary>One product line of an <see cref="OrderReservation"/>; at most one per order and product.</summary>
public sealed class Reservation
{
    public Guid OrderId { get; set; }

    public int ProductId { get; set; }

    /// <summary>Always positive.</summary>
    public int Quantity { get; set; }

    /// <summary>Moves together with the order's status: an order is reserved, released or shipped as a whole.</summary>
    public ReservationStatus Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
