using System.Net;
using System.Text.Json;
using Shop.Tests.Edge;

namespace Shop.Tests.Ordering;

/// <summary>
/// The order saga end to end through the gateway: ordering → RabbitMQ → inventory, payment, shipping → notification,
/// with the failure knobs the fixture sets (ShopAppFixture: tok_decline, tok_slow, unserved country AQ, step timeout).
/// Each test makes its own customer and products, so they run side by side.
/// </summary>
public sealed class OrderSagaSystemTests(ShopAppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private HttpClient Gateway => fixture.Gateway;

    private async Task<(string Customer, int Product)> SetUpAsync(decimal price = 12.50m, int stock = 10)
    {
        var admin = await ShopClient.AdminAsync(fixture, Ct);
        var product = await OrderFlow.NewProductAsync(Gateway, admin.AccessToken, price, stock, Ct);
        var (_, customer) = await ShopClient.NewCustomerAsync(Gateway, Ct);
        return (customer.AccessToken, product);
    }

    private async Task<JsonElement> PaymentAsync(string token, Guid orderId, string status) =>
        await OrderFlow.GetUntilAsync(Gateway, token, $"/api/v1/payments?orderId={orderId}",
            p => Single(p).GetProperty("status").GetString() == status, Ct);

    private async Task<JsonElement> ShipmentAsync(string token, Guid orderId, string status) =>
        await OrderFlow.GetUntilAsync(Gateway, token, $"/api/v1/shipments?orderId={orderId}",
            s => Single(s).GetProperty("status").GetString() == status, Ct);

    /// <summary>Payments and shipments answer a list (<c>items</c>) or one object; either way there must be exactly one.</summary>
    private static JsonElement Single(JsonElement body) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty("items", out var items) ? items.EnumerateArray().Single()
        : body.ValueKind == JsonValueKind.Array ? body.EnumerateArray().Single() : body;

    private async Task<HttpStatusCode> GetStatusAsync(string token, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path).With(token);
        using var response = await Gateway.SendAsync(request, Ct);
        return response.StatusCode;
    }

    [Fact]
    public async Task happy_path_completes_with_one_reservation_one_charge_one_shipment_and_the_notifications()
    {
        var (customer, product) = await SetUpAsync(price: 12.50m, stock: 10);

        var id = await OrderFlow.PlaceAsync(Gateway, customer, OrderFlow.Body(product, 2), Ct);
        var order = await OrderFlow.OrderAsync(Gateway, customer, id, Ct);

        Assert.Equal("Completed", order.GetProperty("status").GetString());
        Assert.Equal(25.00m, order.GetProperty("total").GetDecimal());
        Assert.StartsWith("SHP-", order.GetProperty("trackingNumber").GetString());
        Assert.Equal(
            ["order:placed", "reserve-stock:requested", "reserve-stock:succeeded", "charge-payment:requested",
             "charge-payment:succeeded", "create-shipment:requested", "create-shipment:succeeded", "order:completed"],
            OrderFlow.Steps(order));

        var payment = await PaymentAsync(customer, id, "Charged");
        Assert.Equal(25.00m, payment.GetProperty("amount").GetDecimal());
        var shipment = await ShipmentAsync(customer, id, "Created");
        Assert.Equal(order.GetProperty("trackingNumber").GetString(), shipment.GetProperty("trackingNumber").GetString());

        // Shipped units leave the warehouse for good; nothing stays reserved.
        var stock = await OrderFlow.StockAsync(Gateway, product, s => s.OnHand == 8, Ct);
        Assert.Equal(new OrderFlow.Stock(8, 0, 8), stock);

        // The read model and the notifications follow from the events.
        var list = await OrderFlow.GetUntilAsync(Gateway, customer, "/api/v1/orders",
            l => l.GetProperty("items").EnumerateArray().Any(o => o.GetProperty("id").GetGuid() == id && o.GetProperty("status").GetString() == "Completed"), Ct);
        Assert.Equal(1, list.GetProperty("total").GetInt32());
        var notifications = await OrderFlow.GetUntilAsync(Gateway, customer, "/api/v1/notifications",
            n => n.GetProperty("items").EnumerateArray().Count(i => i.GetProperty("kind").GetString() is "order_placed" or "order_completed") == 2, Ct);
        Assert.Contains(notifications.GetProperty("items").EnumerateArray(), i => i.GetProperty("kind").GetString() == "order_completed");
    }

    [Fact]
    public async Task insufficient_stock_cancels_the_order_and_charges_nothing()
    {
        var (customer, product) = await SetUpAsync(stock: 1);

        var id = await OrderFlow.PlaceAsync(Gateway, customer, OrderFlow.Body(product, 2), Ct);
        var order = await OrderFlow.OrderAsync(Gateway, customer, id, Ct);

        Assert.Equal("Cancelled", order.GetProperty("status").GetString());
        Assert.Equal("out_of_stock", order.GetProperty("cancellation").GetProperty("reason").GetString());
        Assert.Contains("reserve-stock:failed", OrderFlow.Steps(order));
        Assert.DoesNotContain(OrderFlow.Steps(order), s => s.StartsWith("charge-payment", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, await GetStatusAsync(customer, $"/api/v1/payments?orderId={id}"));
        Assert.Equal(new OrderFlow.Stock(1, 0, 1), await OrderFlow.StockAsync(Gateway, product, _ => true, Ct));
    }

    [Fact]
    public async Task payment_declined_releases_the_stock_and_cancels_the_order()
    {
        var (customer, product) = await SetUpAsync(stock: 5);

        var id = await OrderFlow.PlaceAsync(Gateway, customer, OrderFlow.Body(product, 3, paymentToken: "tok_decline"), Ct);
        var order = await OrderFlow.OrderAsync(Gateway, customer, id, Ct);

        Assert.Equal("Cancelled", order.GetProperty("status").GetString());
        Assert.Equal("payment_declined", order.GetProperty("cancellation").GetProperty("reason").GetString());
        Assert.Equal(
            ["charge-payment:failed", "release-stock:requested", "release-stock:succeeded", "order:cancelled"],
            OrderFlow.Steps(order)[^4..]);
        await PaymentAsync(customer, id, "Declined");
        Assert.Equal(new OrderFlow.Stock(5, 0, 5), await OrderFlow.StockAsync(Gateway, product, _ => true, Ct));
    }

    [Fact]
    public async Task shipment_failed_refunds_the_payment_releases_the_stock_and_cancels_the_order()
    {
        var (customer, product) = await SetUpAsync(price: 20m, stock: 5);

        var id = await OrderFlow.PlaceAsync(Gateway, customer, OrderFlow.Body(product, 1, country: "AQ"), Ct);
        var order = await OrderFlow.OrderAsync(Gateway, customer, id, Ct);

        Assert.Equal("Cancelled", order.GetProperty("status").GetString());
        Assert.Equal("shipment_failed", order.GetProperty("cancellation").GetProperty("reason").GetString());
        Assert.Contains("refund-payment:succeeded", OrderFlow.Steps(order));
        Assert.Contains("release-stock:succeeded", OrderFlow.Steps(order));
        await PaymentAsync(customer, id, "Refunded");
        Assert.Equal(new OrderFlow.Stock(5, 0, 5), await OrderFlow.StockAsync(Gateway, product, _ => true, Ct));
    }

    [Fact]
    public async Task a_payment_past_its_deadline_cancels_with_reason_timeout_and_the_late_charge_is_refunded()
    {
        var (customer, product) = await SetUpAsync(price: 15m, stock: 5);

        var id = await OrderFlow.PlaceAsync(Gateway, customer, OrderFlow.Body(product, 1, paymentToken: "tok_slow"), Ct);
        var order = await OrderFlow.OrderAsync(Gateway, customer, id, Ct);

        Assert.Equal("Cancelled", order.GetProperty("status").GetString());
        Assert.Equal("timeout", order.GetProperty("cancellation").GetProperty("reason").GetString());
        Assert.Contains("charge-payment:timed out", OrderFlow.Steps(order));
        // The provider answers after the deadline: the late charge is refunded, so the customer pays nothing.
        var payment = await PaymentAsync(customer, id, "Refunded");
        Assert.Equal(15m, payment.GetProperty("amount").GetDecimal());
        var late = await OrderFlow.GetUntilAsync(Gateway, customer, $"/api/v1/orders/{id}",
            o => OrderFlow.Steps(o).Contains("charge-payment:late"), Ct);
        Assert.Equal("Cancelled", late.GetProperty("status").GetString());
        // The deadline sweep timed the step out once, not on every sweep after.
        Assert.Single(OrderFlow.Steps(late), s => s == "charge-payment:timed out");
        Assert.Equal(new OrderFlow.Stock(5, 0, 5), await OrderFlow.StockAsync(Gateway, product, s => s.Reserved == 0, Ct));
    }

    [Fact]
    public async Task a_customer_cancels_mid_saga_and_everything_done_is_undone()
    {
        var (customer, product) = await SetUpAsync(price: 9m, stock: 5);
        var id = await OrderFlow.PlaceAsync(Gateway, customer, OrderFlow.Body(product, 2, paymentToken: "tok_slow"), Ct);
        await OrderFlow.OrderAsync(Gateway, customer, id, Ct, "StockReserved");

        using var cancel = await Gateway.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/v1/orders/{id}/cancel").With(customer), Ct);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.Equal("Cancelling", (await cancel.JsonAsync(Ct)).GetProperty("status").GetString());

        var order = await OrderFlow.OrderAsync(Gateway, customer, id, Ct);
        Assert.Equal("Cancelled", order.GetProperty("status").GetString());
        Assert.Equal("customer_cancelled", order.GetProperty("cancellation").GetProperty("reason").GetString());
        Assert.Equal(new OrderFlow.Stock(5, 0, 5), await OrderFlow.StockAsync(Gateway, product, s => s.Reserved == 0, Ct));
        await PaymentAsync(customer, id, "Refunded");

        // Cancelling again is harmless; a completed order cannot be cancelled.
        using var again = await Gateway.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/v1/orders/{id}/cancel").With(customer), Ct);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
    }

    [Fact]
    public async Task a_completed_order_cannot_be_cancelled()
    {
        var (customer, product) = await SetUpAsync();
        var id = await OrderFlow.PlaceAsync(Gateway, customer, OrderFlow.Body(product, 1), Ct);
        await OrderFlow.OrderAsync(Gateway, customer, id, Ct, "Completed");

        using var cancel = await Gateway.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/v1/orders/{id}/cancel").With(customer), Ct);

        Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);
        Assert.Equal("Order already completed", (await cancel.JsonAsync(Ct)).GetProperty("title").GetString());
    }

    [Fact]
    public async Task one_customer_cannot_see_or_cancel_another_customers_order()
    {
        var (owner, product) = await SetUpAsync();
        var (_, other) = await ShopClient.NewCustomerAsync(Gateway, Ct);
        var id = await OrderFlow.PlaceAsync(Gateway, owner, OrderFlow.Body(product, 1), Ct);

        Assert.Equal(HttpStatusCode.NotFound, await GetStatusAsync(other.AccessToken, $"/api/v1/orders/{id}"));
        using var cancel = await Gateway.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/v1/orders/{id}/cancel").With(other.AccessToken), Ct);
        Assert.Equal(HttpStatusCode.NotFound, cancel.StatusCode);
        var list = await OrderFlow.GetUntilAsync(Gateway, other.AccessToken, "/api/v1/orders", _ => true, Ct);
        Assert.Equal(0, list.GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, await GetStatusAsync(other.AccessToken, $"/api/v1/payments?orderId={id}"));
    }
}
