using Shop.Inventory.Data;
using Shop.Inventory.Reservations;

namespace Shop.Tests.Inventory;

/// <summary>The shape a reservation request must have; the HTTP endpoint and the saga's handler share these rules.</summary>
public sealed class StockReservationValidationTests
{
    private static readonly Guid OrderA = Guid.Parse("aaaaaaaa-0000-0000-0000-000000000001");

    public static TheoryData<Guid, (int ProductId, int Quantity)[]?, string[]> InvalidRequests => new()
    {
        { Guid.Empty, [(1, 1)], ["orderId"] },
        { OrderA, null, ["items"] },
        { OrderA, [], ["items"] },
        { OrderA, Enumerable.Range(1, StockReservation.MaxLines + 1).Select(id => (id, 1)).ToArray(), ["items"] },
        { OrderA, [(1, 0), (2, -1)], ["items[0].quantity", "items[1].quantity"] },
        { OrderA, [(0, 1)], ["items[0].productId"] },
        { OrderA, [(1, 1), (2, 1), (1, 2)], ["items[2].productId"] },
    };

    [Theory]
    [MemberData(nameof(InvalidRequests))]
    public void a_malformed_request_is_refused_naming_each_bad_field_and_changes_nothing(
        Guid orderId, (int ProductId, int Quantity)[]? lines, string[] fields)
    {
        var reservations = new StockReservation([new StockItem { ProductId = 1, OnHand = 10 }], []);
        var requested = lines?.Select(l => new ReservationLine(l.ProductId, l.Quantity)).ToArray();

        var errors = StockReservation.Validate(orderId, requested);

        Assert.Equal(fields.Order(), errors.Keys.Order());
        Assert.Throws<ArgumentException>(() => reservations.Reserve(orderId, requested!));
        Assert.Equal(0, reservations.FindStock(1)!.Reserved);
        Assert.Null(reservations.FindOrder(orderId));
    }

    [Fact]
    public void exactly_one_hundred_lines_are_accepted()
    {
        var reservations = new StockReservation(
            Enumerable.Range(1, StockReservation.MaxLines).Select(id => new StockItem { ProductId = id, OnHand = 1 }), []);

        var result = reservations.Reserve(OrderA, Enumerable.Range(1, StockReservation.MaxLines).Select(id => new ReservationLine(id, 1)).ToArray());

        Assert.Equal(ReserveOutcome.Reserved, result.Outcome);
        Assert.Equal(StockReservation.MaxLines, result.Reservation!.Items.Count);
    }
}
