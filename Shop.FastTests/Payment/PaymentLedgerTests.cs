using Shop.ServiceDefaults.Data;
using Shop.Contracts;
using Shop.Payment.Data;
using Shop.Payment.Messaging;
using Shop.Payment.Payments;
using Shop.Payment.Provider;

namespace Shop.Tests.Payment;

/// <summary>
/// What the handlers store and answer, without a host: one payment row per order, replies derived from that row (so a
/// redelivery gets the same answer), and a refund that gives back once.
/// </summary>
public sealed class PaymentLedgerTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly ChargePayment Command = new(
        Guid.Parse("aaaaaaaa-0000-0000-0000-0000000000a2"), Guid.Parse("cccccccc-0000-0000-0000-0000000000c2"), 99.95m, "EUR", "tok_visa");

    private static OrderPayment Charged() =>
        ChargePaymentHandler.Record(Command, new ProviderCharge(ChargeDecision.Approve, "sim_ch_abc"), Now);

    private static OrderPayment Declined() =>
        ChargePaymentHandler.Record(Command, new ProviderCharge(ChargeDecision.Decline(ChargeRules.CardDeclined), null), Now);

    [Fact]
    public void an_approved_charge_is_recorded_as_charged_and_answered_with_the_payment()
    {
        var payment = Charged();

        Assert.Equal((PaymentStatus.Charged, Command.OrderId, Command.CustomerId, 99.95m, "EUR"),
            (payment.Status, payment.OrderId, payment.CustomerId, payment.Amount, payment.Currency));
        Assert.Equal(("sim_ch_abc", Now, (string?)null), (payment.ProviderReference, payment.ChargedAt, payment.DeclineReason));
        Assert.Equal(new PaymentCharged(Command.OrderId, payment.Id, 99.95m, "EUR"), ChargePaymentHandler.Reply(payment));
    }

    [Fact]
    public void a_declined_charge_is_recorded_with_its_reason_and_answered_the_same_way_every_time()
    {
        var payment = Declined();

        Assert.Equal((PaymentStatus.Declined, (DateTimeOffset?)null, (string?)null), (payment.Status, payment.ChargedAt, payment.ProviderReference));
        Assert.Equal(new PaymentDeclined(Command.OrderId, ChargeRules.CardDeclined), ChargePaymentHandler.Reply(payment));
        Assert.Equal(ChargePaymentHandler.Reply(payment), ChargePaymentHandler.Reply(payment));
    }

    [Fact]
    public void a_refund_gives_back_the_whole_charge_once_and_then_nothing()
    {
        var payment = Charged();

        var first = payment.Refund(Now.AddMinutes(1));
        var second = payment.Refund(Now.AddMinutes(2));

        Assert.Equal(99.95m, first);
        Assert.Equal(0m, second);
        Assert.Equal((PaymentStatus.Refunded, 99.95m, Now.AddMinutes(1)), (payment.Status, payment.RefundedAmount, payment.RefundedAt));
    }

    [Fact]
    public void refunding_a_declined_payment_gives_back_nothing_and_changes_nothing()
    {
        var payment = Declined();

        Assert.Equal(0m, payment.Refund(Now));
        Assert.Equal((PaymentStatus.Declined, 0m, (DateTimeOffset?)null), (payment.Status, payment.RefundedAmount, payment.RefundedAt));
    }

    [Fact]
    public void a_charge_redelivered_after_its_refund_is_declined_as_already_refunded_never_charged_again()
    {
        var payment = Charged();
        payment.Refund(Now);

        Assert.Equal(new PaymentDeclined(Command.OrderId, ChargePaymentHandler.AlreadyRefunded), ChargePaymentHandler.Reply(payment));
    }

    [Theory]
    [InlineData(null, "Required.")]
    [InlineData("", "Required.")]
    [InlineData("  ", "Required.")]
    [InlineData("not-a-guid", "Must be an order id (a non-empty GUID).")]
    [InlineData("00000000-0000-0000-0000-000000000000", "Must be an order id (a non-empty GUID).")]
    [InlineData("3f0c9a52-7a1e-4b8e-9d2f-5c6b7a8e9f01", null)]
    public void the_order_id_query_parameter_is_required_and_must_be_a_guid(string? value, string? error)
    {
        var errors = OrderIdQuery.Validate(value);

        Assert.Equal(error, errors?[OrderIdQuery.Field].Single());
    }
}
