using Shop.Ordering.Orders;

namespace Shop.Tests.Ordering;

public sealed class IdempotencyTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("has space")]
    [InlineData("\"\"")]
    public void invalid_keys_are_refused_with_a_reason(string? header)
    {
        var (key, error) = Idempotency.Parse(header);
        Assert.Null(key);
        Assert.Contains("Idempotency-Key", error);
    }

    [Theory]
    [InlineData("8e03978e-40d5-43e8-bc93-6894a57f9324", "8e03978e-40d5-43e8-bc93-6894a57f9324")]
    [InlineData("\"abc\"", "abc")]
    public void keys_are_accepted_bare_or_as_a_structured_field_string(string header, string expected) =>
        Assert.Equal(expected, Idempotency.Parse(header).Key);

    [Fact]
    public void a_key_longer_than_255_characters_is_refused() =>
        Assert.Null(Idempotency.Parse(new string('k', 256)).Key);

    [Fact]
    public void the_order_id_depends_on_customer_and_key_only()
    {
        var customer = Guid.NewGuid();
        Assert.Equal(Idempotency.OrderId(customer, "k1"), Idempotency.OrderId(customer, "k1"));
        Assert.NotEqual(Idempotency.OrderId(customer, "k1"), Idempotency.OrderId(customer, "k2"));
        Assert.NotEqual(Idempotency.OrderId(customer, "k1"), Idempotency.OrderId(Guid.NewGuid(), "k1"));
        Assert.Equal(8, Idempotency.OrderId(customer, "k1").Version);
    }

    [Fact]
    public void the_fingerprint_changes_with_the_body_but_not_with_json_formatting()
    {
        var a = new PlaceOrder.Request([new PlaceOrder.Line(1, 2)], new PlaceOrder.Address("Ada", "Main 1", "Utrecht", "3511", "NL"));
        var same = new PlaceOrder.Request([new PlaceOrder.Line(1, 2)], new PlaceOrder.Address("Ada", "Main 1", "Utrecht", "3511", "NL"));
        var other = new PlaceOrder.Request([new PlaceOrder.Line(1, 3)], new PlaceOrder.Address("Ada", "Main 1", "Utrecht", "3511", "NL"));

        Assert.Equal(Idempotency.Fingerprint(a), Idempotency.Fingerprint(same));
        Assert.NotEqual(Idempotency.Fingerprint(a), Idempotency.Fingerprint(other));
    }

    [Fact]
    public void validation_names_each_bad_field()
    {
        var errors = PlaceOrder.Validate(new PlaceOrder.Request(
            [new PlaceOrder.Line(0, 0), new PlaceOrder.Line(5, 101)],
            new PlaceOrder.Address("", "Main 1", "Utrecht", "3511", "Netherlands")));

        Assert.Equal(
            ["items[0].productId", "items[0].quantity", "items[1].quantity", "shippingAddress.name", "shippingAddress.country"],
            errors.Keys);
    }
}
