using System.Diagnostics;
using System.Net;
using Shop.AppHost.Dashboard.Telemetry;
using Shop.Tests.Edge;

namespace Shop.Tests.Ordering;

/// <summary>
/// What the order saga tells the dashboard: one trace from the gateway through ordering, the broker and every service
/// it reaches, and the saga's own metrics. Read from the AppHost's telemetry store, which the services fill over OTLP.
/// </summary>
public sealed class OrderTelemetryTests(ShopAppFixture fixture)
{
    private static readonly TimeSpan TelemetryDeadline = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task an_order_placed_through_the_gateway_is_one_trace_across_gateway_ordering_the_broker_and_the_services()
    {
        var admin = await ShopClient.AdminAsync(fixture, Ct);
        var product = await OrderFlow.NewProductAsync(fixture.Gateway, admin.AccessToken, 9.99m, 5, Ct);
        var (_, customer) = await ShopClient.NewCustomerAsync(fixture.Gateway, Ct);

        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using var request = OrderFlow.PlaceRequest(customer.AccessToken, Guid.NewGuid().ToString(), OrderFlow.Body(product, 1));
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var response = await fixture.Gateway.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var orderId = (await response.JsonAsync(Ct)).GetProperty("id").GetGuid();
        var order = await OrderFlow.OrderAsync(fixture.Gateway, customer.AccessToken, orderId, Ct);
        Assert.Equal("Completed", order.GetProperty("status").GetString());

        string[] expected = ["gateway", "ordering", "catalog", "inventory", "payment", "shipping", "notification"];
        var trace = await WaitForAsync(() => fixture.Telemetry.GetTrace(traceId),
            t => t is not null && expected.All(t.Resources.Contains) && Orphans(t).Count == 1
                 && t.Spans.Any(s => s.Source.Resource == "shipping" && IsBrokerSpan(SpanKind.Consumer)(s)), "the order's whole trace");

        // The broker's part: commands leave ordering as producer spans and each service handles them in a span of its own.
        Assert.Contains(trace.Spans, s => s.Source.Resource == "ordering" && IsBrokerSpan(SpanKind.Producer)(s));
        foreach (var (service, command) in new[] { ("inventory", "ReserveStock"), ("payment", "ChargePayment"), ("shipping", "CreateShipment") })
        {
            Assert.True(trace.Spans.Any(s => s.Source.Resource == service && s.Name.EndsWith(command, StringComparison.Ordinal) && IsBrokerSpan(SpanKind.Consumer)(s)),
                $"{service} has no span handling {command}: " + string.Join(", ", trace.Spans.Where(s => s.Source.Resource == service)
                    .Select(s => $"{s.Name} ({s.Kind}; {string.Join(" ", s.Attributes.Select(a => a.Key))})")));
        }
        // One tree: every span's parent is in the trace, except the gateway's server span, whose parent is the caller's.
        var orphans = Orphans(trace);
        Assert.True(orphans.Count == 1 && orphans[0].Source.Resource == "gateway" && orphans[0].Kind == SpanKind.Server,
            $"spans without their parent in the trace: {string.Join(", ", orphans.Select(o => $"{o.Source.Resource}:{o.Name}"))}");
        Assert.Equal(0, trace.ErrorCount);
        // The handlers' queries are in the trace, under the spans that made them.
        Assert.Contains(trace.Spans, s => s.Source.Resource == "inventory" && s.Kind == SpanKind.Client && s.Name.StartsWith("postgresql", StringComparison.Ordinal));
    }

    [Fact]
    public async Task database_polls_outside_any_request_or_message_are_not_traces()
    {
        // Wolverine's durability agent polls each service's tables every 5 s, and its node agent checks its peers
        // every 10 s: wait for at least one round of both.
        var from = DateTime.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(11), Ct);

        var housekeeping = fixture.Telemetry.GetTraces(new TraceQuery { Text = "wolverine_node_assignments", Take = 100_000 }).Traces
            .Where(t => t.Start >= from).ToList();
        Assert.True(housekeeping.Count == 0,
            $"{housekeeping.Count} traces of Wolverine's node agent, from: {string.Join(", ", housekeeping.Select(t => t.Root!.Source.Resource).Distinct())}");

        var polls = fixture.Telemetry.GetTraces(new TraceQuery { Text = "postgresql", Take = 100_000 }).Traces
            .Where(t => t.Start >= from && t.Root is { Kind: SpanKind.Client } root && root.Name.StartsWith("postgresql", StringComparison.Ordinal))
            .ToList();
        Assert.True(polls.Count == 0,
            $"{polls.Count} traces are a database call alone: " + string.Join("; ", polls.Take(5).Select(t =>
                $"{t.Root!.Source.Resource} (parent {t.Root.ParentSpanId ?? "none"}, {t.Spans.Count} spans): " +
                string.Concat(t.Root.Attributes.FirstOrDefault(a => a.Key == "db.query.text").Value?.Take(80) ?? ""))));
    }

    [Fact]
    public async Task the_saga_reports_its_orders_and_durations_as_metrics()
    {
        var admin = await ShopClient.AdminAsync(fixture, Ct);
        var product = await OrderFlow.NewProductAsync(fixture.Gateway, admin.AccessToken, 4.50m, 5, Ct);
        var (_, customer) = await ShopClient.NewCustomerAsync(fixture.Gateway, Ct);
        var before = Total(fixture.Telemetry.GetInstrument("ordering", "Shop.Ordering", "orders.completed"));
        var placedBefore = Total(fixture.Telemetry.GetInstrument("ordering", "Shop.Ordering", "orders.placed"));

        var id = await OrderFlow.PlaceAsync(fixture.Gateway, customer.AccessToken, OrderFlow.Body(product, 1), Ct);
        Assert.Equal("Completed", (await OrderFlow.OrderAsync(fixture.Gateway, customer.AccessToken, id, Ct)).GetProperty("status").GetString());

        var completed = await WaitForAsync(() => fixture.Telemetry.GetInstrument("ordering", "Shop.Ordering", "orders.completed"),
            i => Total(i) > before, "orders.completed above its value before the order");
        Assert.Equal(MetricKind.Sum, completed.Kind);
        Assert.True(completed.IsMonotonic);

        // Counted per process: an order placed before another test restarted ordering completes in the new process,
        // so the two totals are not comparable; that this order's placement was counted is.
        var placed = await WaitForAsync(() => fixture.Telemetry.GetInstrument("ordering", "Shop.Ordering", "orders.placed"),
            i => Total(i) > placedBefore, "orders.placed above its value before the order");
        Assert.Equal(MetricKind.Sum, placed.Kind);

        var duration = await WaitForAsync(() => fixture.Telemetry.GetInstrument("ordering", "Shop.Ordering", "orders.saga.duration"),
            i => i?.Series.Sum(s => (double)(s.Points.LastOrDefault()?.Count ?? 0)) > 0, "orders.saga.duration with counts");
        Assert.Equal(MetricKind.Histogram, duration.Kind);
        Assert.Equal("s", duration.Unit);
        var last = duration.Series.SelectMany(s => s.Points).MaxBy(p => p.Time)!;
        Assert.True(last.Sum > 0 && last.Max > 0, "a saga took no time");
        // Buckets in seconds (the SDK's default ones are for milliseconds and would put every saga into the first).
        Assert.Equal([0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 10, 30, 60], last.ExplicitBounds);
    }

    [Fact]
    public async Task cancellations_are_counted_by_reason_and_payments_totalled_by_currency_as_metrics()
    {
        var admin = await ShopClient.AdminAsync(fixture, Ct);
        var product = await OrderFlow.NewProductAsync(fixture.Gateway, admin.AccessToken, 7.25m, 1, Ct);
        var (_, customer) = await ShopClient.NewCustomerAsync(fixture.Gateway, Ct);
        var outOfStockBefore = Total(fixture.Telemetry.GetInstrument("ordering", "Shop.Ordering", "orders.cancelled"), "reason", "out_of_stock");

        // Two units of a product with one in stock: cancelled, out of stock. Then one unit: completed and charged.
        var shortId = await OrderFlow.PlaceAsync(fixture.Gateway, customer.AccessToken, OrderFlow.Body(product, 2), Ct);
        var shortOrder = await OrderFlow.OrderAsync(fixture.Gateway, customer.AccessToken, shortId, Ct);
        Assert.Equal("out_of_stock", shortOrder.GetProperty("cancellation").GetProperty("reason").GetString());
        var currency = shortOrder.GetProperty("currency").GetString()!;
        var chargedBefore = Total(fixture.Telemetry.GetInstrument("payment", "Shop.Payment", "payment.charged.amount"), "currency", currency);
        var id = await OrderFlow.PlaceAsync(fixture.Gateway, customer.AccessToken, OrderFlow.Body(product, 1), Ct);
        var order = await OrderFlow.OrderAsync(fixture.Gateway, customer.AccessToken, id, Ct);
        Assert.Equal("Completed", order.GetProperty("status").GetString());
        Assert.Equal(7.25m, order.GetProperty("total").GetDecimal());

        // Cumulative per process, and other tests order at the same time: this test's orders show as a rise of at
        // least their own amount in their own series.
        var cancelled = await WaitForAsync(() => fixture.Telemetry.GetInstrument("ordering", "Shop.Ordering", "orders.cancelled"),
            i => Total(i, "reason", "out_of_stock") > outOfStockBefore, "orders.cancelled{reason=out_of_stock} above its value before the order");
        Assert.Equal(MetricKind.Sum, cancelled.Kind);
        Assert.All(cancelled.Series, series => Assert.Contains(series.Attributes, a => a.Key == "reason"));

        var charged = await WaitForAsync(() => fixture.Telemetry.GetInstrument("payment", "Shop.Payment", "payment.charged.amount"),
            i => Total(i, "currency", currency) >= chargedBefore + 7.25 - 1e-9, $"payment.charged.amount{{currency={currency}}} up by the order's 7.25");
        Assert.Equal(MetricKind.Sum, charged.Kind);
        Assert.Equal("{currency}", charged.Unit);

        // Wolverine's own metrics (messages sent, handled, their durations) come from a meter named after the service.
        Assert.Contains(fixture.Telemetry.GetInstruments("payment"), i => i.Meter == "Wolverine:Payment");
    }

    private static List<SpanEntry> Orphans(TraceEntry trace)
    {
        var ids = trace.Spans.Select(s => s.SpanId).ToHashSet();
        return [.. trace.Spans.Where(s => s.ParentSpanId is not null && !ids.Contains(s.ParentSpanId))];
    }

    /// <summary>Wolverine's spans: "send" (producer) where a message leaves, and one named after the message where it is handled.</summary>
    private static Func<SpanEntry, bool> IsBrokerSpan(SpanKind kind)
        => s => (kind == SpanKind.Producer ? s.Kind == SpanKind.Producer : s.Kind is SpanKind.Consumer or SpanKind.Internal)
                && s.Attributes.Any(a => a.Key.StartsWith("messaging.", StringComparison.Ordinal));

    /// <summary>The latest cumulative value of a counter's series that carry the attribute <paramref name="key"/>=<paramref name="value"/>.</summary>
    private static double Total(MetricInstrument? instrument, string key, string value) =>
        instrument?.Series.Where(s => s.Attributes.Any(a => a.Key == key && a.Value == value))
            .Sum(s => s.Points.LastOrDefault()?.Value ?? 0) ?? 0;

    /// <summary>The latest cumulative value of a counter, summed over its series.</summary>
    private static double Total(MetricInstrument? instrument) => instrument?.Series.Sum(s => s.Points.LastOrDefault()?.Value ?? 0) ?? 0;

    private static async Task<T> WaitForAsync<T>(Func<T?> read, Func<T?, bool> done, string what)
    {
        var deadline = Stopwatch.StartNew();
        var last = read();
        while (!done(last))
        {
            if (deadline.Elapsed > TelemetryDeadline)
            {
                Assert.Fail($"{what} did not arrive within {TelemetryDeadline}; last seen: {Describe(last)}");
            }
            await Task.Delay(250, Ct);
            last = read();
        }
        return last!;
    }

    private static string Describe(object? value) => value switch
    {
        null => "nothing",
        TraceEntry t => $"orphans {string.Join(", ", Orphans(t).Select(o => $"{o.Source.Resource}:{o.Name}"))}; spans " + string.Join("; ", t.Spans.Where(s => !s.Name.StartsWith("postgresql", StringComparison.Ordinal))
            .Select(s => $"{s.Source.Resource}:{s.Kind}:{s.Name}[{string.Join(",", s.Attributes.Select(a => a.Key))}]")),
        MetricInstrument i => string.Join("; ", i.Series.Select(s => $"{s.Label} → {s.Points.LastOrDefault()}")),
        _ => value.ToString() ?? "",
    };
}
