using System.Diagnostics;
using System.Net;
using Shop.Tests.Edge;

namespace Shop.Tests.Ordering;

/// <summary>
/// What the order saga tells the Aspire dashboard: one trace from the gateway through ordering, the broker and every
/// service it reaches, and no traces of background housekeeping. Read back from the dashboard's telemetry API, which
/// holds what the services exported to it over OTLP.
/// </summary>
public sealed class OrderTelemetryTests(ShopAppFixture fixture)
{
    private static readonly TimeSpan TelemetryDeadline = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task an_order_placed_through_the_gateway_is_one_trace_across_gateway_ordering_the_broker_and_the_services()
    {
        var traceId = await OrderTraces.PlaceTracedOrderAsync(fixture, Ct);

        string[] expected = ["gateway", "ordering", "catalog", "inventory", "payment", "shipping", "notification"];
        using var api = fixture.DashboardApi();
        var trace = await DashboardTraces.WaitForAsync(() => DashboardTraces.TraceAsync(api, traceId, Ct),
            t => expected.All(r => t.Any(s => s.Resource == r)) && Orphans(t).Count == 1
                 && t.Any(s => s.Resource == "shipping" && IsBrokerSpan(s, DashboardSpan.Consumer)),
            Describe, "the order's whole trace", TelemetryDeadline, Ct);

        // The broker's part: commands leave ordering as producer spans and each service handles them in a span of its own.
        Assert.Contains(trace, s => s.Resource == "ordering" && IsBrokerSpan(s, DashboardSpan.Producer));
        foreach (var (service, command) in new[] { ("inventory", "ReserveStock"), ("payment", "ChargePayment"), ("shipping", "CreateShipment") })
        {
            Assert.True(trace.Any(s => s.Resource == service && s.Name.EndsWith(command, StringComparison.Ordinal) && IsBrokerSpan(s, DashboardSpan.Consumer)),
                $"{service} has no span handling {command}: " + string.Join(", ", trace.Where(s => s.Resource == service)
                    .Select(s => $"{s.Name} ({s.Kind}; {string.Join(" ", s.Attributes.Keys)})")));
        }
        // One tree: every span's parent is in the trace, except the gateway's server span, whose parent is the caller's.
        var orphans = Orphans(trace);
        Assert.True(orphans.Count == 1 && orphans[0].Resource == "gateway" && orphans[0].Kind == DashboardSpan.Server,
            $"spans without their parent in the trace: {string.Join(", ", orphans)}");
        Assert.DoesNotContain(trace, s => s.IsError);
        // The handlers' queries are in the trace, under the spans that made them.
        Assert.Contains(trace, s => s.Resource == "inventory" && s.Kind == DashboardSpan.Client && s.Name.StartsWith("postgresql", StringComparison.Ordinal));
    }

    [Fact]
    public async Task database_polls_outside_any_request_or_message_are_not_traces()
    {
        // Wolverine's durability agent polls each service's tables every 5 s, and its node agent checks its peers
        // every 10 s: wait for at least one round of both.
        var from = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(11), Ct);
        using var api = fixture.DashboardApi();

        var housekeeping = (await DashboardTraces.RecentTracesAsync(api, "wolverine_node_assignments", 1_000, Ct))
            .Where(s => s.Start >= from).Select(s => s.Resource).Distinct().ToList();
        Assert.True(housekeeping.Count == 0, $"traces of Wolverine's node agent, from: {string.Join(", ", housekeeping)}");

        // The newest traces (other tests run meanwhile): none may be a database call on its own.
        var recent = (await DashboardTraces.RecentTracesAsync(api, null, 500, Ct)).Where(s => s.Start >= from).ToList();
        var polls = recent.GroupBy(s => s.TraceId)
            .Select(t => t.SingleOrDefault(s => s.ParentSpanId is null))
            .Where(root => root is { Kind: DashboardSpan.Client } && root.Name.StartsWith("postgresql", StringComparison.Ordinal))
            .ToList();
        Assert.True(polls.Count == 0,
            $"{polls.Count} traces are a database call alone: " + string.Join("; ", polls.Take(5).Select(root =>
                $"{root!.Resource}: {string.Concat(root.Attributes.GetValueOrDefault("db.query.text")?.Take(80) ?? "")}")));
    }

    private static List<DashboardSpan> Orphans(IReadOnlyList<DashboardSpan> trace)
    {
        var ids = trace.Select(s => s.SpanId).ToHashSet();
        return [.. trace.Where(s => s.ParentSpanId is not null && !ids.Contains(s.ParentSpanId))];
    }

    /// <summary>Wolverine's spans: "send" (producer) where a message leaves, and one named after the message where it is handled.</summary>
    private static bool IsBrokerSpan(DashboardSpan s, int kind)
        => (kind == DashboardSpan.Producer ? s.Kind == DashboardSpan.Producer : s.Kind is DashboardSpan.Consumer or DashboardSpan.Internal)
           && s.Attributes.Keys.Any(a => a.StartsWith("messaging.", StringComparison.Ordinal));

    private static string Describe(IReadOnlyList<DashboardSpan> trace) => trace.Count == 0
        ? "nothing"
        : $"orphans {string.Join(", ", Orphans(trace))}; spans " + string.Join("; ", trace.Where(s => !s.Name.StartsWith("postgresql", StringComparison.Ordinal))
            .Select(s => $"{s}[{string.Join(",", s.Attributes.Keys)}]"));
}

/// <summary>An order placed through the gateway under a trace id of the test's own, completed.</summary>
public static class OrderTraces
{
    public static async Task<string> PlaceTracedOrderAsync(ShopAppFixture fixture, CancellationToken ct)
    {
        var admin = await ShopClient.AdminAsync(fixture, ct);
        var product = await OrderFlow.NewProductAsync(fixture.Gateway, admin.AccessToken, 9.99m, 5, ct);
        var (_, customer) = await ShopClient.NewCustomerAsync(fixture.Gateway, ct);

        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using var request = OrderFlow.PlaceRequest(customer.AccessToken, Guid.NewGuid().ToString(), OrderFlow.Body(product, 1));
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var response = await fixture.Gateway.SendAsync(request, ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var orderId = (await response.JsonAsync(ct)).GetProperty("id").GetGuid();
        var order = await OrderFlow.OrderAsync(fixture.Gateway, customer.AccessToken, orderId, ct);
        Assert.Equal("Completed", order.GetProperty("status").GetString());
        return traceId;
    }
}
