using Shop.ServiceDefaults.Data;
using Microsoft.Extensions.Options;
using Shop.Contracts;
using Shop.Shipping.Carrier;
using Shop.Shipping.Data;
using Shop.Shipping.Messaging;
using Shop.Shipping.Shipments;

namespace Shop.Tests.Shipping;

/// <summary>
/// What the handlers store and answer, without a host: one shipment row per order, replies derived from that row (so
/// a redelivery gets the same answer), and a cancellation that happens once.
/// </summary>
public sealed class ShipmentLedgerTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly CreateShipment Command = new(
        Guid.Parse("aaaaaaaa-0000-0000-0000-0000000000b1"), Guid.Parse("cccccccc-0000-0000-0000-0000000000d1"),
        new ShippingAddress(" Ada Lovelace ", "Damrak 1", "Amsterdam", "1012 JS", "nl"), [new(1, 2), new(3, 4)]);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void a_booked_shipment_is_recorded_with_its_tracking_number_and_answered_with_it()
    {
        var shipment = CreateShipmentHandler.Record(Command, "SHP-ABCDE12345", null, Now);

        Assert.Equal((ShipmentStatus.Created, Command.OrderId, Command.CustomerId, "SHP-ABCDE12345"),
            (shipment.Status, shipment.OrderId, shipment.CustomerId, shipment.TrackingNumber));
        Assert.Equal(("Ada Lovelace", "NL", 6, Now), (shipment.RecipientName, shipment.Country, shipment.ItemCount, shipment.CreatedAt));
        Assert.Equal(new ShipmentCreated(Command.OrderId, shipment.Id, "SHP-ABCDE12345"), CreateShipmentHandler.Reply(shipment));
    }

    [Fact]
    public void a_failed_shipment_is_recorded_without_a_tracking_number_and_answered_with_its_reason()
    {
        var shipment = CreateShipmentHandler.Record(Command, null, "country NL is not served", Now);

        Assert.Equal((ShipmentStatus.Failed, (string?)null), (shipment.Status, shipment.TrackingNumber));
        Assert.Equal(new ShipmentFailed(Command.OrderId, "country NL is not served"), CreateShipmentHandler.Reply(shipment));
    }

    [Fact]
    public void a_shipment_is_either_booked_or_failed_never_both_or_neither()
    {
        Assert.Throws<ArgumentException>(() => CreateShipmentHandler.Record(Command, "SHP-ABCDE12345", "no", Now));
        Assert.Throws<ArgumentException>(() => CreateShipmentHandler.Record(Command, null, null, Now));
    }

    [Fact]
    public void a_booked_shipment_is_cancelled_once_and_a_late_create_is_answered_as_already_cancelled()
    {
        var shipment = CreateShipmentHandler.Record(Command, "SHP-ABCDE12345", null, Now);

        Assert.True(shipment.Cancel(Now.AddMinutes(1)));
        Assert.False(shipment.Cancel(Now.AddMinutes(2)));
        Assert.Equal((ShipmentStatus.Cancelled, Now.AddMinutes(1)), (shipment.Status, shipment.CancelledAt));
        Assert.Equal(new ShipmentFailed(Command.OrderId, CreateShipmentHandler.AlreadyCancelled), CreateShipmentHandler.Reply(shipment));
    }

    [Fact]
    public void a_failed_shipment_has_nothing_to_cancel()
    {
        var shipment = CreateShipmentHandler.Record(Command, null, "country NL is not served", Now);

        Assert.False(shipment.Cancel(Now));
        Assert.Equal((ShipmentStatus.Failed, (DateTimeOffset?)null), (shipment.Status, shipment.CancelledAt));
    }

    [Fact]
    public async Task the_simulated_carrier_books_with_a_fresh_tracking_number_and_fails_on_demand()
    {
        var healthy = new ShippingCarrier(Options.Create(new ShippingOptions()), TimeProvider.System);
        var failing = new ShippingCarrier(Options.Create(new ShippingOptions { FailureRate = 1 }), TimeProvider.System);

        Assert.True(TrackingNumbers.IsValid(await healthy.BookAsync(Ct)));
        await Assert.ThrowsAsync<CarrierUnavailableException>(() => failing.BookAsync(Ct));
        await Assert.ThrowsAsync<CarrierUnavailableException>(() => failing.CancelAsync("SHP-ABCDE12345", Ct));
    }

    [Theory]
    [InlineData(null, "Required.")]
    [InlineData("nope", "Must be an order id (a non-empty GUID).")]
    [InlineData("3f0c9a52-7a1e-4b8e-9d2f-5c6b7a8e9f01", null)]
    public void the_order_id_query_parameter_is_required_and_must_be_a_guid(string? value, string? error)
    {
        Assert.Equal(error, OrderIdQuery.Validate(value)?[OrderIdQuery.Field].Single());
    }
}
