using Shop.Inventory.Data;

namespace Shop.Inventory.Reservations;

/// <summary>One line of a reservation request.</summary>
public sealed record ReservationLine(int ProductId, int Quantity);

/// <summary>A product an order wanted more of than was available; <see cref="Available"/> is 0 for unknown products.</summary>
public sealed record StockShortage(int ProductId, int Requested, int Available);

public enum ReserveOutcome
{
    /// <summary>Every line is now held for the order.</summary>
    Reserved,

    /// <summary>The order already had a reservation (in any status); it is returned and nothing changed.</summary>
    AlreadyExists,

    /// <summary>At least one line was short; nothing changed and nothing was recorded.</summary>
    InsufficientStock,
}

public sealed record ReserveResult(ReserveOutcome Outcome, OrderReservation? Reservation, IReadOnlyList<StockShortage> Shortages)
{
    public static ReserveResult Created(OrderReservation reservation) => new(ReserveOutcome.Reserved, reservation, []);

    public static ReserveResult Existing(OrderReservation reservation) => new(ReserveOutcome.AlreadyExists, reservation, []);

    public static ReserveResult Short(IReadOnlyList<StockShortage> shortages) => new(ReserveOutcome.InsufficientStock, null, shortages);
}

/// <summary>What a release or a shipment did.</summary>
public enum ChangeOutcome
{
    /// <summary>The reservation moved to the requested status and the stock changed accordingly.</summary>
    Applied,

    /// <summary>It was already in the requested status (a duplicate): nothing changed.</summary>
    AlreadyApplied,

    /// <summary>It is in the other final status (released vs shipped), which cannot be undone: nothing changed.</summary>
    Conflict,

    /// <summary>The order has no reservation: nothing changed.</summary>
    NotFound,
}

public sealed record ChangeResult(ChangeOutcome Outcome, OrderReservation? Reservation);
