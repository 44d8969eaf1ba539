using Shop.Inventory.Data;
using Shop.Inventory.Reservations;

namespace Shop.Tests.Inventory;

/// <summary>The reservation rules, host-free: stock rows and reservations live in memory.</summary>
public sealed class StockReservationTests
{
    private static readonly Guid OrderA = Guid.Parse("aaaaaaaa-0000-0000-0000-000000000001");
    private static readonly Guid OrderB = Guid.Parse("bbbbbbbb-0000-0000-0000-000000000002");

    /// <summary>Products 1, 2 and 3 with 10, 5 and 0 on hand, nothing reserved, no reservations.</summary>
    private static StockReservation NewStock(params (int ProductId, int OnHand)[] stock) =>
        new((stock.Length > 0 ? stock : [(1, 10), (2, 5), (3, 0)])
            .Select(s => new StockItem { ProductId = s.ProductId, OnHand = s.OnHand }), []);

    private static ReservationLine[] Lines(params (int ProductId, int Quantity)[] lines) =>
        lines.Select(l => new ReservationLine(l.ProductId, l.Quantity)).ToArray();

    private static (int OnHand, int Reserved) Stock(StockReservation reservations, int productId)
    {
        var stock = reservations.FindStock(productId)!;
        return (stock.OnHand, stock.Reserved);
    }

    [Fact]
    public void reserving_within_available_holds_every_line_for_the_order()
    {
        var reservations = NewStock();

        var result = reservations.Reserve(OrderA, Lines((1, 4), (2, 5)));

        Assert.Equal(ReserveOutcome.Reserved, result.Outcome);
        Assert.Empty(result.Shortages);
        Assert.Equal(ReservationStatus.Reserved, result.Reservation!.Status);
        Assert.Equal([(1, 4), (2, 5)], result.Reservation.Items.Select(i => (i.ProductId, i.Quantity)));
        Assert.All(result.Reservation.Items, i => Assert.Equal(ReservationStatus.Reserved, i.Status));
        Assert.Equal((10, 4), Stock(reservations, 1));
        Assert.Equal((5, 5), Stock(reservations, 2));
        Assert.Equal(6, reservations.FindStock(1)!.Available);
        Assert.Same(result.Reservation, reservations.FindOrder(OrderA));
    }

    [Fact]
    public void reserving_more_than_available_changes_nothing_and_names_the_short_product()
    {
        var reservations = NewStock();

        var result = reservations.Reserve(OrderA, Lines((1, 4), (2, 6)));

        Assert.Equal(ReserveOutcome.InsufficientStock, result.Outcome);
        Assert.Null(result.Reservation);
        Assert.Equal([new StockShortage(2, 6, 5)], result.Shortages);
        // All or nothing: the line that fitted was not reserved either.
        Assert.Equal((10, 0), Stock(reservations, 1));
        Assert.Equal((5, 0), Stock(reservations, 2));
        Assert.Null(reservations.FindOrder(OrderA));
    }

    public static TheoryData<(int ProductId, int Quantity)[], StockShortage[]> ShortRequests => new()
    {
        // requested lines (stock: 1→10, 2→5, 3→0)      every short product, in product order, with what is available
        { [(1, 11)], [new(1, 11, 10)] },
        { [(3, 1), (1, 10)], [new(3, 1, 0)] },
        { [(2, 6), (1, 11), (3, 2)], [new(1, 11, 10), new(2, 6, 5), new(3, 2, 0)] },
        { [(1, 1), (99, 1)], [new(99, 1, 0)] }, // no stock record at all counts as nothing available
    };

    [Theory]
    [MemberData(nameof(ShortRequests))]
    public void a_short_reservation_names_each_short_product_with_requested_and_available(
        (int ProductId, int Quantity)[] lines, StockShortage[] expected)
    {
        var reservations = NewStock();

        var result = reservations.Reserve(OrderA, Lines(lines));

        Assert.Equal(ReserveOutcome.InsufficientStock, result.Outcome);
        Assert.Equal(expected, result.Shortages);
        Assert.Equal([(10, 0), (5, 0), (0, 0)], new[] { 1, 2, 3 }.Select(id => Stock(reservations, id)));
    }

    [Fact]
    public void reserving_the_same_order_three_times_reserves_the_stock_once()
    {
        var reservations = NewStock();

        var results = Enumerable.Range(0, 3).Select(_ => reservations.Reserve(OrderA, Lines((1, 4)))).ToList();

        Assert.Equal([ReserveOutcome.Reserved, ReserveOutcome.AlreadyExists, ReserveOutcome.AlreadyExists], results.Select(r => r.Outcome));
        Assert.All(results, r => Assert.Same(results[0].Reservation, r.Reservation));
        Assert.Equal((10, 4), Stock(reservations, 1));
    }

    [Fact]
    public void a_duplicate_reserve_with_other_lines_returns_the_first_reservation_unchanged()
    {
        var reservations = NewStock();
        reservations.Reserve(OrderA, Lines((1, 4)));

        var duplicate = reservations.Reserve(OrderA, Lines((1, 9), (2, 1)));

        Assert.Equal(ReserveOutcome.AlreadyExists, duplicate.Outcome);
        Assert.Equal([(1, 4)], duplicate.Reservation!.Items.Select(i => (i.ProductId, i.Quantity)));
        Assert.Equal((10, 4), Stock(reservations, 1));
        Assert.Equal((5, 0), Stock(reservations, 2));
    }

    [Fact]
    public void a_failed_reservation_records_nothing_so_the_order_can_try_again()
    {
        var reservations = NewStock();
        Assert.Equal(ReserveOutcome.InsufficientStock, reservations.Reserve(OrderA, Lines((2, 6))).Outcome);
        reservations.FindStock(2)!.OnHand = 6; // restocked

        var retry = reservations.Reserve(OrderA, Lines((2, 6)));

        Assert.Equal(ReserveOutcome.Reserved, retry.Outcome);
        Assert.Equal((6, 6), Stock(reservations, 2));
    }

    [Fact]
    public void releasing_returns_the_reserved_stock_and_a_second_release_is_a_no_op()
    {
        var reservations = NewStock();
        reservations.Reserve(OrderA, Lines((1, 4), (2, 5)));

        var first = reservations.Release(OrderA);
        var second = reservations.Release(OrderA);

        Assert.Equal(ChangeOutcome.Applied, first.Outcome);
        Assert.Equal(ChangeOutcome.AlreadyApplied, second.Outcome);
        Assert.Equal(ReservationStatus.Released, second.Reservation!.Status);
        Assert.All(second.Reservation.Items, i => Assert.Equal(ReservationStatus.Released, i.Status));
        Assert.Equal((10, 0), Stock(reservations, 1));
        Assert.Equal((5, 0), Stock(reservations, 2));
    }

    [Fact]
    public void releasing_an_unknown_order_changes_nothing()
    {
        var reservations = NewStock();
        reservations.Reserve(OrderB, Lines((1, 3)));

        var result = reservations.Release(OrderA);

        Assert.Equal(ChangeOutcome.NotFound, result.Outcome);
        Assert.Null(result.Reservation);
        Assert.Null(reservations.FindOrder(OrderA));
        Assert.Equal((10, 3), Stock(reservations, 1));
    }

    [Fact]
    public void shipping_removes_the_quantities_from_on_hand_and_reserved_once()
    {
        var reservations = NewStock();
        reservations.Reserve(OrderA, Lines((1, 4), (2, 2)));
        reservations.Reserve(OrderB, Lines((1, 1)));

        var first = reservations.Ship(OrderA);
        var second = reservations.Ship(OrderA);

        Assert.Equal(ChangeOutcome.Applied, first.Outcome);
        Assert.Equal(ChangeOutcome.AlreadyApplied, second.Outcome);
        Assert.Equal(ReservationStatus.Shipped, first.Reservation!.Status);
        Assert.Equal((6, 1), Stock(reservations, 1)); // order B's unit is still held
        Assert.Equal((3, 0), Stock(reservations, 2));
    }

    [Fact]
    public void a_released_order_is_never_reserved_again_even_if_a_late_duplicate_arrives()
    {
        // The saga compensated (released); a redelivered ReserveStock must not hold stock for a cancelled order.
        var reservations = NewStock();
        reservations.Reserve(OrderA, Lines((1, 4)));
        reservations.Release(OrderA);

        var late = reservations.Reserve(OrderA, Lines((1, 4)));

        Assert.Equal(ReserveOutcome.AlreadyExists, late.Outcome);
        Assert.Equal(ReservationStatus.Released, late.Reservation!.Status);
        Assert.Equal((10, 0), Stock(reservations, 1));
    }

    public static TheoryData<string, string, ChangeOutcome> FinalStates => new()
    {
        // first     then      the second is refused and changes nothing
        { "release", "ship", ChangeOutcome.Conflict },
        { "ship", "release", ChangeOutcome.Conflict },
    };

    [Theory]
    [MemberData(nameof(FinalStates))]
    public void released_and_shipped_are_final_and_exclude_each_other(string first, string then, ChangeOutcome expected)
    {
        var reservations = NewStock();
        reservations.Reserve(OrderA, Lines((1, 4)));
        Apply(reservations, first);
        var before = Stock(reservations, 1);
        var status = reservations.FindOrder(OrderA)!.Status;

        var result = Apply(reservations, then);

        Assert.Equal(expected, result.Outcome);
        Assert.Equal(status, result.Reservation!.Status);
        Assert.Equal(before, Stock(reservations, 1));
    }

    [Fact]
    public void shipping_an_unknown_order_changes_nothing()
    {
        var reservations = NewStock();

        Assert.Equal(ChangeOutcome.NotFound, reservations.Ship(OrderA).Outcome);
        Assert.Equal((10, 0), Stock(reservations, 1));
    }

    [Fact]
    public void reserved_never_exceeds_on_hand_and_stock_balances_through_any_sequence_of_operations()
    {
        // Seeded, so a failure replays exactly.
        var random = new Random(20261122);
        var initial = Enumerable.Range(1, 5).ToDictionary(id => id, id => id * 3);
        var reservations = NewStock(initial.Select(kv => (kv.Key, kv.Value)).ToArray());
        var orders = Enumerable.Range(0, 12).Select(_ => Guid.NewGuid()).ToArray();

        for (var step = 0; step < 2_000; step++)
        {
            var order = orders[random.Next(orders.Length)];
            switch (random.Next(3))
            {
                case 0:
                    var lines = Enumerable.Range(1, 5).OrderBy(_ => random.Next()).Take(random.Next(1, 4))
                        .Select(id => new ReservationLine(id, random.Next(1, 6))).ToArray();
                    reservations.Reserve(order, lines);
                    break;
                case 1:
                    reservations.Release(order);
                    break;
                default:
                    reservations.Ship(order);
                    break;
            }

            var known = orders.Select(reservations.FindOrder).OfType<OrderReservation>().ToList();
            foreach (var (productId, initialOnHand) in initial)
            {
                var stock = reservations.FindStock(productId)!;
                var lines = known.SelectMany(o => o.Items).Where(i => i.ProductId == productId).ToList();
                Assert.InRange(stock.Reserved, 0, stock.OnHand);
                Assert.Equal(lines.Where(i => i.Status == ReservationStatus.Reserved).Sum(i => i.Quantity), stock.Reserved);
                Assert.Equal(initialOnHand - lines.Where(i => i.Status == ReservationStatus.Shipped).Sum(i => i.Quantity), stock.OnHand);
            }
        }
    }

    [Fact]
    public void changes_are_stamped_from_the_clock_at_the_microsecond_precision_the_database_keeps()
    {
        var clock = new FixedClock(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1_234_567));
        var reservations = new StockReservation([new StockItem { ProductId = 1, OnHand = 10 }], [], clock);

        var reserved = reservations.Reserve(OrderA, Lines((1, 1))).Reservation!;
        var expected = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1_234_560);
        Assert.Equal(expected, reserved.CreatedAt);
        Assert.Equal(expected, reservations.FindStock(1)!.UpdatedAt);

        clock.Now = clock.Now.AddMinutes(1);
        reservations.Ship(OrderA);
        Assert.Equal(expected, reserved.CreatedAt);
        Assert.Equal(expected.AddMinutes(1), reserved.UpdatedAt);
        Assert.All(reserved.Items, i => Assert.Equal(expected.AddMinutes(1), i.UpdatedAt));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static ChangeResult Apply(StockReservation reservations, string operation) => operation switch
    {
        "release" => reservations.Release(OrderA),
        "ship" => reservations.Ship(OrderA),
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
    };
}
