namespace Shop.Inventory.Data;

/// <summary>The stock of one product. The database refuses any row where the invariants below do not hold.</summary>
public sealed class StockItem
{
    /// <summary>The catalogue's product id; inventory does not own products, only their stock.</summary>
    public int ProductId { get; set; }

    /// <summary>Units in the warehouse, reserved or not. Never negative.</summary>
    public int OnHand { get; set; }

    /// <summary>Units held for orders that have not shipped yet. Between 0 and <see cref="OnHand"/>.</summary>
    public int Reserved { get; set; }

    /// <summary>Units a new order can still reserve.</summary>
    public int Available => OnHand - Reserved;

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>PostgreSQL's <c>xmin</c>: an update that read an older row version fails instead of overwriting.</summary>
    public uint Version { get; set; }
}
