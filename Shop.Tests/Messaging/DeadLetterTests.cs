using System.Net;
using System.Text;
using System.Text.Json;
using Shop.Contracts;
using Shop.Tests.Edge;
using Shop.Tests.Ordering;

namespace Shop.Tests.Messaging;

/// <summary>A poison message goes, after its retries, to the dead-letter store, which admins list and replay through the gateway.</summary>
public sealed class DeadLetterTests(ShopAppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private HttpClient Gateway => fixture.Gateway;

    [Fact]
    public async Task a_poison_message_is_dead_lettered_listed_and_replayed_by_an_admin()
    {
        var admin = (await ShopClient.AdminAsync(fixture, Ct)).AccessToken;
        var envelopeId = Guid.NewGuid();
        await using var broker = await Broker.ConnectAsync(fixture, Ct);
        // A ChargePayment whose body cannot be read: no retry can help it.
        await broker.SendRawAsync(Queues.Payment, typeof(ChargePayment).FullName!,
            Encoding.UTF8.GetBytes("""{"orderId":"not-a-guid","amount":"lots"}"""), envelopeId, Ct);

        // Listed, in a list every service answered for (on a busy 2-core machine one may miss the gateway's 3 s once).
        var list = await OrderFlow.GetUntilAsync(Gateway, admin, "/api/v1/admin/dead-letters",
            l => l.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("id").GetGuid() == envelopeId)
                 && l.GetProperty("unavailable").GetArrayLength() == 0, Ct);
        var letter = list.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetGuid() == envelopeId);
        Assert.Equal("payment", letter.GetProperty("service").GetString());
        Assert.Equal(typeof(ChargePayment).FullName, letter.GetProperty("messageType").GetString());
        Assert.False(string.IsNullOrEmpty(letter.GetProperty("exceptionType").GetString()));
        Assert.Empty(list.GetProperty("unavailable").EnumerateArray());

        using var replay = await Gateway.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/v1/admin/dead-letters/{envelopeId}/replay").With(admin), Ct);
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        // Still poison, so after its retries it is back in the store, not lost.
        await OrderFlow.GetUntilAsync(Gateway, admin, "/api/v1/admin/dead-letters",
            l => l.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("id").GetGuid() == envelopeId && !i.GetProperty("replayable").GetBoolean()), Ct);

        using var unknown = await Gateway.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/v1/admin/dead-letters/{Guid.NewGuid()}/replay").With(admin), Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task customers_cannot_see_dead_letters()
    {
        var (_, customer) = await ShopClient.NewCustomerAsync(Gateway, Ct);
        using var response = await Gateway.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/admin/dead-letters").With(customer.AccessToken), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
