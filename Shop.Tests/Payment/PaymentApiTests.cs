using System.Globalization;
using System.Net;
using System.Text.Json;
using Shop.Contracts;
using Shop.Tests.Edge;

namespace Shop.Tests.Payment;

/// <summary>
/// Payment through the gateway and the broker: the read API's auth, validation and ownership rules, and the charge and
/// refund handlers driven by commands on the <c>payment</c> queue as the order saga sends them.
/// </summary>
public sealed class PaymentApiTests(ShopAppFixture fixture)
{
    private static readonly TimeSpan HandlerTimeout = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string PaymentOf(Guid orderId) => $"/api/v1/payments?orderId={orderId}";

    private async Task<HttpResponseMessage> GetAsync(string path, string? accessToken, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        return await (client ?? fixture.Gateway).SendAsync(accessToken is null ? request : request.With(accessToken), Ct);
    }

    private static Guid SubjectOf(TokenResponse token) => Guid.Parse(Jwt.Decode(token.AccessToken).Claims.GetProperty("sub").GetString()!);

    [Fact]
    public async Task payments_are_refused_without_a_token_at_the_gateway_and_at_the_service_itself()
    {
        using var viaGateway = await GetAsync(PaymentOf(Guid.NewGuid()), null);
        using var payment = fixture.App.CreateHttpClient("payment");
        using var direct = await GetAsync(PaymentOf(Guid.NewGuid()), null, payment);

        Assert.Equal(HttpStatusCode.Unauthorized, viaGateway.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, direct.StatusCode);
        Assert.Equal("application/problem+json", direct.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task an_order_without_a_payment_is_a_404_problem()
    {
        var (_, customer) = await ShopClient.NewCustomerAsync(fixture.Gateway, Ct);
        var orderId = Guid.NewGuid();

        using var response = await GetAsync(PaymentOf(orderId), customer.AccessToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync(Ct);
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Equal("Payment not found", problem.GetProperty("title").GetString());
        Assert.Contains(orderId.ToString(), problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/payments", "Required.")]
    [InlineData("/api/v1/payments?orderId=", "Required.")]
    [InlineData("/api/v1/payments?orderId=not-a-guid", "Must be an order id (a non-empty GUID).")]
    [InlineData("/api/v1/payments?orderId=00000000-0000-0000-0000-000000000000", "Must be an order id (a non-empty GUID).")]
    public async Task a_missing_or_malformed_order_id_is_a_400_naming_the_field(string path, string error)
    {
        var (_, customer) = await ShopClient.NewCustomerAsync(fixture.Gateway, Ct);

        using var response = await GetAsync(path, customer.AccessToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync(Ct);
        Assert.Equal(error, problem.GetProperty("errors").GetProperty("orderId")[0].GetString());
    }

    [Fact]
    public async Task an_order_is_charged_once_whatever_the_duplicates_and_refunded_once()
    {
        var (_, customer) = await ShopClient.NewCustomerAsync(fixture.Gateway, Ct);
        var (_, stranger) = await ShopClient.NewCustomerAsync(fixture.Gateway, Ct);
        var admin = await ShopClient.AdminAsync(fixture, Ct);
        var orderId = Guid.NewGuid();
        var charge = new ChargePayment(orderId, SubjectOf(customer), 42.50m, "EUR", "tok_visa");
        var envelopeId = Guid.NewGuid();

        // The first delivery, its redelivery (same envelope id) and a duplicate command (a new envelope).
        await ServiceQueue.SendAsync(fixture, Queues.Payment, charge, envelopeId, Ct);
        await ServiceQueue.SendAsync(fixture, Queues.Payment, charge, envelopeId, Ct);
        await ServiceQueue.SendAsync(fixture, Queues.Payment, charge, ct: Ct);

        var charged = await ServiceQueue.PollAsync(fixture, "payment", PaymentOf(orderId), customer.AccessToken,
            p => p.GetProperty("status").GetString() == "Charged", HandlerTimeout, Ct);
        Assert.Equal(42.50m, charged.GetProperty("amount").GetDecimal());
        Assert.Equal("EUR", charged.GetProperty("currency").GetString());
        Assert.Equal(SubjectOf(customer), charged.GetProperty("customerId").GetGuid());
        Assert.Equal(JsonValueKind.String, charged.GetProperty("chargedAt").ValueKind);

        using (var strangers = await GetAsync(PaymentOf(orderId), stranger.AccessToken))
        {
            Assert.Equal(HttpStatusCode.NotFound, strangers.StatusCode);
        }
        using (var admins = await GetAsync(PaymentOf(orderId), admin.AccessToken))
        {
            Assert.Equal(HttpStatusCode.OK, admins.StatusCode);
        }

        // Compensation, twice, then a late duplicate charge: the money goes back once and is not taken again.
        var late = new[]
        {
            await ServiceQueue.SendAsync(fixture, Queues.Payment, new RefundPayment(orderId, "test"), ct: Ct),
            await ServiceQueue.SendAsync(fixture, Queues.Payment, new RefundPayment(orderId, "test again"), ct: Ct),
            await ServiceQueue.SendAsync(fixture, Queues.Payment, charge, ct: Ct),
        };
        await ServiceQueue.WaitUntilHandledAsync(fixture, "paymentdb", late, HandlerTimeout, Ct);

        var refunded = await ServiceQueue.PollAsync(fixture, "payment", PaymentOf(orderId), customer.AccessToken, _ => true, HandlerTimeout, Ct);
        Assert.Equal("Refunded", refunded.GetProperty("status").GetString());
        Assert.Equal(42.50m, refunded.GetProperty("refundedAmount").GetDecimal());
        Assert.Equal(charged.GetProperty("id").GetGuid(), refunded.GetProperty("id").GetGuid());
        Assert.Equal(1, await ServiceQueue.CountRowsAsync(fixture, "paymentdb", "Payments", orderId, Ct));
    }

    [Theory]
    [InlineData("tok_decline", "20.00", "card declined")]
    [InlineData("tok_visa", "10000.01", "amount over limit")]
    public async Task a_declined_charge_is_stored_with_its_reason_and_nothing_is_refunded(string token, string amountText, string reason)
    {
        var amount = decimal.Parse(amountText, CultureInfo.InvariantCulture);
        var (_, customer) = await ShopClient.NewCustomerAsync(fixture.Gateway, Ct);
        var orderId = Guid.NewGuid();

        await ServiceQueue.SendAsync(fixture, Queues.Payment, new ChargePayment(orderId, SubjectOf(customer), amount, "EUR", token), ct: Ct);
        var declined = await ServiceQueue.PollAsync(fixture, "payment", PaymentOf(orderId), customer.AccessToken,
            p => p.GetProperty("status").GetString() == "Declined", HandlerTimeout, Ct);
        Assert.Equal(reason, declined.GetProperty("declineReason").GetString());
        Assert.Equal(JsonValueKind.Null, declined.GetProperty("chargedAt").ValueKind);

        var late = new[]
        {
            await ServiceQueue.SendAsync(fixture, Queues.Payment, new RefundPayment(orderId, "test"), ct: Ct),
            await ServiceQueue.SendAsync(fixture, Queues.Payment, new ChargePayment(orderId, SubjectOf(customer), amount, "EUR", token), ct: Ct),
        };
        await ServiceQueue.WaitUntilHandledAsync(fixture, "paymentdb", late, HandlerTimeout, Ct);
        var after = await ServiceQueue.PollAsync(fixture, "payment", PaymentOf(orderId), customer.AccessToken, _ => true, HandlerTimeout, Ct);
        Assert.Equal(("Declined", 0m), (after.GetProperty("status").GetString(), after.GetProperty("refundedAmount").GetDecimal()));
    }
}
