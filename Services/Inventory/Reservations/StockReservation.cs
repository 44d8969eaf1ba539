using Shop.Inventory.Data;

namespace Shop.Inventory.Reservations;

/// <summary>
/// The reservation rules, with no host and no database: it works on the stock rows and order reservations it is given
/// and changes them in place. <see cref="ReservationService"/> loads and locks those rows, runs one operation and saves.
/// </summary>
/// <remarks>
/// Every operation is idempotent per order, because the saga's messages can be redelivered:
/// <list type="bullet">
/// <item><see cref="Reserve"/> holds every line of an order or none, and a second call for an order that already has
/// a reservation returns it unchanged, whatever lines it carries.</item>
/// <item>Released and shipped are final. In particular a released order is never reserved again: a late or duplicate
/// ReserveStock arriving after the saga compensated must not hold stock for a cancelled order.</item>
/// <item>A failed reservation records nothing, so the same order may try again (its saga has already cancelled it
/// on the first failure, and would release a late success).</item>
/// </list>
/// Invariant after every call: for each product <c>0 &lt;= Reserved &lt;= OnHand</c>, and <c>Reserved</c> is the sum
/// of the order lines in status <see cref="ReservationStatus.Reserved"/>.
/// </remarks>
public sealed class StockReservation
{
    public const int MaxLines = 100;

    private readonly Dictionary<int, StockItem> _stock;
    private readonly Dictionary<Guid, OrderReservation> _orders;
    private readonly TimeProvider _clock;

    /// <param name="stock">The stock rows of (at least) every product the operation touches.</param>
    /// <param name="orders">The existing reservation of (at least) the order the operation is about, with its items.</param>
    /// <param name="clock">Stamps <c>CreatedAt</c>/<c>UpdatedAt</c>; the system clock when null.</param>
    public StockReservation(IEnumerable<StockItem> stock, IEnumerable<OrderReservation> orders, TimeProvider? clock = null)
    {
        _stock = stock.ToDictionary(s => s.ProductId);
        _orders = orders.ToDictionary(o => o.OrderId);
        _clock = clock ?? TimeProvider.System;
    }

    public StockItem? FindStock(int productId) => _stock.GetValueOrDefault(productId);

    public OrderReservation? FindOrder(Guid orderId) => _orders.GetValueOrDefault(orderId);

    /// <summary>
    /// Checks a request's shape; returns the errors by field name (<c>orderId</c>, <c>items</c>,
    /// <c>items[i].productId</c>, <c>items[i].quantity</c>), empty when it is valid.
    /// </summary>
    public static Dictionary<string, string[]> Validate(Guid orderId, IReadOnlyList<ReservationLine>? lines)
    {
        var errors = new Dictionary<string, string[]>();
        if (orderId == Guid.Empty)
        {
            errors["orderId"] = ["Required, and not the empty GUID."];
        }
        if (lines is null || lines.Count is 0 or > MaxLines)
        {
            errors["items"] = [$"Between 1 and {MaxLines} lines are required."];
            return errors;
        }

        var seen = new HashSet<int>();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.ProductId <= 0)
            {
                errors[$"items[{i}].productId"] = ["Must be a positive product id."];
            }
            else if (!seen.Add(line.ProductId))
            {
                errors[$"items[{i}].productId"] = [$"Product {line.ProductId} appears on more than one line; combine them."];
            }
            if (line.Quantity <= 0)
            {
                errors[$"items[{i}].quantity"] = ["Must be 1 or more."];
            }
        }
        return errors;
    }

    /// <summary>Holds every line for the order, or nothing when any line is short.</summary>
    /// <exception cref="ArgumentException">The request is malformed (see <see cref="Validate"/>); callers validate first.</exception>
    public ReserveResult Reserve(Guid orderId, IReadOnlyList<ReservationLine> lines)
    {
        var errors = Validate(orderId, lines);
        if (errors.Count > 0)
        {
            throw new ArgumentException(
                $"Invalid reservation request: {string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))}",
                nameof(lines));
        }

        if (_orders.TryGetValue(orderId, out var existing))
        {
            return ReserveResult.Existing(existing);
        }

        // Check every line before touching any: all or nothing.
        var shortages = lines
            .Select(line => (line, available: _stock.GetValueOrDefault(line.ProductId)?.Available ?? 0))
            .Where(x => x.line.Quantity > x.available)
            .Select(x => new StockShortage(x.line.ProductId, x.line.Quantity, x.available))
            .OrderBy(s => s.ProductId)
            .ToList();
        if (shortages.Count > 0)
        {
            return ReserveResult.Short(shortages);
        }

        var now = Now();
        var reservation = new OrderReservation
        {
            OrderId = orderId,
            Status = ReservationStatus.Reserved,
            CreatedAt = now,
            UpdatedAt = now,
        };
        foreach (var line in lines.OrderBy(l => l.ProductId))
        {
            var stock = _stock[line.ProductId];
            stock.Reserved += line.Quantity;
            stock.UpdatedAt = now;
            reservation.Items.Add(new Reservation
            {
                OrderId = orderId,
                ProductId = line.ProductId,
                Quantity = line.Quantity,
                Status = ReservationStatus.Reserved,
                CreatedAt = now,
                UpdatedAt = now,
            });
        }
        _orders.Add(orderId, reservation);
        return ReserveResult.Created(reservation);
    }

    /// <summary>Hands the order's reserved quantities back. Unknown orders and repeated calls change nothing.</summary>
    public ChangeResult Release(Guid orderId) =>
        Change(orderId, ReservationStatus.Released, ReservationStatus.Shipped, static (stock, quantity) => stock.Reserved -= quantity);

    /// <summary>The goods leave the warehouse: on-hand and reserved both drop by the order's quantities, once.</summary>
    public ChangeResult Ship(Guid orderId) =>
        Change(orderId, ReservationStatus.Shipped, ReservationStatus.Released, static (stock, quantity) =>
        {
            stock.OnHand -= quantity;
            stock.Reserved -= quantity;
        });

    private ChangeResult Change(Guid orderId, ReservationStatus target, ReservationStatus conflicting, Action<StockItem, int> apply)
    {
        if (!_orders.TryGetValue(orderId, out var reservation))
        {
            return new ChangeResult(ChangeOutcome.NotFound, null);
        }
        if (reservation.Status == target)
        {
            return new ChangeResult(ChangeOutcome.AlreadyApplied, reservation);
        }
        if (reservation.Status == conflicting)
        {
            return new ChangeResult(ChangeOutcome.Conflict, reservation);
        }

        var missing = reservation.Items.Where(item => !_stock.ContainsKey(item.ProductId)).Select(item => item.ProductId).ToList();
        if (missing.Count > 0)
        {
            // The caller did not load what the reservation refers to; changing only part of it would break the invariant.
            throw new InvalidOperationException($"Stock rows for products {string.Join(", ", missing)} were not provided.");
        }

        var now = Now();
        foreach (var item in reservation.Items)
        {
            var stock = _stock[item.ProductId];
            apply(stock, item.Quantity);
            stock.UpdatedAt = now;
            item.Status = target;
            item.UpdatedAt = now;
        }
        reservation.Status = target;
        reservation.UpdatedAt = now;
        return new ChangeResult(ChangeOutcome.Applied, reservation);
    }

    // PostgreSQL keeps microseconds: stamping at that precision makes the first answer equal to every later read.
    private DateTimeOffset Now()
    {
        var now = _clock.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }
}
