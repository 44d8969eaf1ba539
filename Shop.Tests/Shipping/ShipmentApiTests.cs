using System.Net;
using System.Text.Json;
using Shop.Contracts;
using Shop.Shipping.Carrier;
using Shop.Tests.Edge;
using Shop.Tests.Payment;

namespace Shop.Tests.Shipping;

/// <summary>
/// Shipping through the gateway and the broker: the read API's auth, validation and ownership rules, and the create
/// and cancel handlers driven by commands on the <c>shipping</c> queue as the order saga sends them.
/// </summary>
public sealed class ShipmentApiTests(ShopAppFixture fixture)
{
    private static readonly TimeSpan HandlerTimeout = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string ShipmentOf(Guid orderId) => $"/api/v1/shipments?orderId={orderId}";

    private async Task<HttpResponseMessage> GetAsync(string path, string? accessToken, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        return await (client ?? fixture.Gateway).SendAsync(accessToken is null ? request : request.With(accessToken), Ct);
    }

    private static Guid SubjectOf(TokenResponse token) => Guid.Parse(Jwt.Decode(token.AccessToken).Claims.GetProperty("sub").GetString()!);

    private static CreateShipment Create(Guid orderId, Guid customerId, string country) =>
        new(orderId, customerId, new ShippingAddress("Ada Lovelace", "Damrak 1", "Amsterdam", "1012 JS", country), [new(1, 2), new(2, 1)]);

    [Fact]
    public async Task shipments_are_refused_without_a_token_at_the_gateway_and_at_the_service_itself()
    {
        using var viaGateway = await GetAsync(ShipmentOf(Guid.NewGuid()), null);
        using var shipping = fixture.App.CreateHttpClient("shipping");
        using var direct = await GetAsync(ShipmentOf(Guid.NewGuid()), null, shipping);

        Assert.Equal(HttpStatusCode.Unauthorized, viaGateway.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, direct.StatusCode);
        Assert.Equal("application/problem+json", direct.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task an_unknown_order_is_a_404_problem_and_a_bad_order_id_a_400_naming_the_field()
    {
        var (_, customer) = await ShopClient.NewCustomerAsync(fixture.Gateway, Ct);

        using var unknown = await GetAsync(ShipmentOf(Guid.NewGuid()), customer.AccessToken);
        using var bad = await GetAsync("/api/v1/shipments?orderId=12345", customer.AccessToken);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("Shipment not found", (await unknown.JsonAsync(Ct)).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        Assert.True((await bad.JsonAsync(Ct)).GetProperty("errors").TryGetProperty("orderId", out _));
    }

    [Fact]
    public async Task an_order_gets_one_shipment_whatever_the_duplicates_and_it_is_cancelled_once()
    {
        var (_, customer) = await ShopClient.NewCustomerAsync(fixture.Gateway, Ct);
        var (_, stranger) = await ShopClient.NewCustomerAsync(fixture.Gateway, Ct);
        var orderId = Guid.NewGuid();
        var create = Create(orderId, SubjectOf(customer), "NL");

        await ServiceQueue.SendAsync(fixture, Queues.Shipping, create, ct: Ct);
        await ServiceQueue.SendAsync(fixture, Queues.Shipping, create, ct: Ct);
        var created = await ServiceQueue.PollAsync(fixture, "shipping", ShipmentOf(orderId), customer.AccessToken,
            s => s.GetProperty("status").GetString() == "Created", HandlerTimeout, Ct);
        var trackingNumber = created.GetProperty("trackingNumber").GetString();
        Assert.True(TrackingNumbers.IsValid(trackingNumber), trackingNumber);
        Assert.Equal(3, created.GetProperty("itemCount").GetInt32());
        Assert.Equal("NL", created.GetProperty("address").GetProperty("country").GetString());
        using (var strangers = await GetAsync(ShipmentOf(orderId), stranger.AccessToken))
        {
            Assert.Equal(HttpStatusCode.NotFound, strangers.StatusCode);
        }

        var late = new[]
        {
            await ServiceQueue.SendAsync(fixture, Queues.Shipping, new CancelShipment(orderId, "test"), ct: Ct),
            await ServiceQueue.SendAsync(fixture, Queues.Shipping, new CancelShipment(orderId, "test again"), ct: Ct),
            await ServiceQueue.SendAsync(fixture, Queues.Shipping, create, ct: Ct),
        };
        await ServiceQueue.WaitUntilHandledAsync(fixture, "shippingdb", late, HandlerTimeout, Ct);

        var cancelled = await ServiceQueue.PollAsync(fixture, "shipping", ShipmentOf(orderId), customer.AccessToken, _ => true, HandlerTimeout, Ct);
        Assert.Equal("Cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal(trackingNumber, cancelled.GetProperty("trackingNumber").GetString());
        Assert.Equal(JsonValueKind.String, cancelled.GetProperty("cancelledAt").ValueKind);
        Assert.Equal(1, await ServiceQueue.CountRowsAsync(fixture, "shippingdb", "Shipments", orderId, Ct));
    }

    [Fact]
    public async Task an_order_to_an_unserved_country_fails_and_cancelling_it_changes_nothing()
    {
        var (_, customer) = await ShopClient.NewCustomerAsync(fixture.Gateway, Ct);
        var orderId = Guid.NewGuid();

        await ServiceQueue.SendAsync(fixture, Queues.Shipping, Create(orderId, SubjectOf(customer), "AQ"), ct: Ct);
        var failed = await ServiceQueue.PollAsync(fixture, "shipping", ShipmentOf(orderId), customer.AccessToken,
            s => s.GetProperty("status").GetString() == "Failed", HandlerTimeout, Ct);
        Assert.Equal("country AQ is not served", failed.GetProperty("failureReason").GetString());
        Assert.Equal(JsonValueKind.Null, failed.GetProperty("trackingNumber").ValueKind);

        var cancel = await ServiceQueue.SendAsync(fixture, Queues.Shipping, new CancelShipment(orderId, "test"), ct: Ct);
        await ServiceQueue.WaitUntilHandledAsync(fixture, "shippingdb", [cancel], HandlerTimeout, Ct);
        var after = await ServiceQueue.PollAsync(fixture, "shipping", ShipmentOf(orderId), customer.AccessToken, _ => true, HandlerTimeout, Ct);
        Assert.Equal(("Failed", JsonValueKind.Null), (after.GetProperty("status").GetString(), after.GetProperty("cancelledAt").ValueKind));
    }
}
