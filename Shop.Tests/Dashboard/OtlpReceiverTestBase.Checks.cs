using Shop.AppHost.Dashboard.Telemetry;
using SpanKind = Shop.AppHost.Dashboard.Telemetry.SpanKind;

namespace Shop.Tests.Dashboard;

/// <summary>Checks that the sample payloads landed in the store with their values.</summary>
public abstract partial class OtlpReceiverTestBase
{

    protected static void AssertSampleTraceStored(TelemetryRepository telemetry)
    {
        var trace = telemetry.GetTrace("0102030405060708090a0b0c0d0e0f10");
        Assert.NotNull(trace);
        Assert.Equal(2, trace.Spans.Count);
        var root = trace.Spans.Single(s => s.SpanId == "a1a2a3a4a5a6a7a8");
        Assert.Null(root.ParentSpanId);
        Assert.Equal(new TelemetrySource("ordering", "ordering-abcd1234"), root.Source);
        Assert.Equal("GET /api/orders", root.Name);
        Assert.Equal(SpanKind.Server, root.Kind);
        Assert.Equal(T0, root.Start);
        Assert.Equal(DateTimeKind.Utc, root.Start.Kind);
        Assert.Equal(TimeSpan.FromMilliseconds(250), root.Duration);
        Assert.Equal(SpanStatus.Error, root.Status);
        Assert.Equal("boom", root.StatusMessage);
        Assert.Equal("Microsoft.AspNetCore", root.Scope);
        var attributes = root.Attributes.ToDictionary();
        Assert.Equal("/api/orders", attributes["http.route"]);
        Assert.Equal("500", attributes["http.status_code"]);
        Assert.Equal("true", attributes["sampled"]);
        Assert.Equal("0.25", attributes["ratio"]);
        Assert.Equal("[\"a\",2]", attributes["tags"]);
        Assert.Equal("{\"k\":\"v\"}", attributes["map"]);
        Assert.Equal("AQID", attributes["raw"]);
        var exception = Assert.Single(root.Events);
        Assert.Equal("exception", exception.Name);
        Assert.Equal(T0.AddMilliseconds(10), exception.Timestamp);
        Assert.Equal("System.Exception", exception.Attributes.Single().Value);
        Assert.True(root.IsError);

        var child = trace.Spans.Single(s => s.SpanId == "b1b2b3b4b5b6b7b8");
        Assert.Equal("a1a2a3a4a5a6a7a8", child.ParentSpanId);
        Assert.Equal(SpanKind.Client, child.Kind);
        Assert.Same(root, trace.Root);
    }

    protected static void AssertSampleLogsStored(TelemetryRepository telemetry)
    {
        var logs = telemetry.GetLogs(new LogQuery { Resource = "payment" }).Entries;
        Assert.Equal(2, logs.Count);
        var declined = logs.Single(l => l.Message == "Charge 42 declined");
        Assert.Equal(new TelemetrySource("payment", "payment"), declined.Source); // no instance id: the name
        Assert.Equal(LogSeverity.Warning, declined.Severity);
        Assert.Equal(T0, declined.Timestamp);
        Assert.Equal("Shop.Payment.Charges", declined.Category);
        Assert.Equal("0102030405060708090a0b0c0d0e0f10", declined.TraceId);
        Assert.Equal("a1a2a3a4a5a6a7a8", declined.SpanId);
        Assert.Equal("Charge {ChargeId} declined", declined.Attributes.ToDictionary()["{OriginalFormat}"]);
        Assert.Equal("42", declined.Attributes.ToDictionary()["ChargeId"]);

        var plain = logs.Single(l => l.Message == "no severity");
        Assert.Equal(LogSeverity.Information, plain.Severity);
        Assert.Equal(T0.AddSeconds(1), plain.Timestamp);
        Assert.Null(plain.TraceId);
        Assert.Null(plain.SpanId);
    }

    protected static void AssertSampleMetricsStored(TelemetryRepository telemetry)
    {
        var gauge = telemetry.GetInstrument("ordering", "Shop.Ordering", "orders.pending");
        Assert.NotNull(gauge);
        Assert.Equal(MetricKind.Gauge, gauge.Kind);
        Assert.Equal("{order}", gauge.Unit);
        Assert.Equal(3.5, Assert.Single(Assert.Single(gauge.Series).Points).Value);

        var sum = telemetry.GetInstrument("ordering", "Shop.Ordering", "orders.placed");
        Assert.NotNull(sum);
        Assert.Equal(MetricKind.Sum, sum.Kind);
        Assert.True(sum.IsMonotonic);
        Assert.False(sum.IsCumulative);
        Assert.Equal("Orders placed", sum.Description);
        var series = Assert.Single(sum.Series);
        Assert.Equal("channel=web", series.Label);
        var point = Assert.Single(series.Points);
        Assert.Equal(7, point.Value);
        Assert.Equal(T0, point.Start);
        Assert.Equal(T0.AddSeconds(1), point.Time);

        var histogram = telemetry.GetInstrument("ordering", "Shop.Ordering", "http.server.request.duration");
        Assert.NotNull(histogram);
        Assert.Equal(MetricKind.Histogram, histogram.Kind);
        Assert.True(histogram.IsCumulative);
        var h = Assert.Single(Assert.Single(histogram.Series).Points);
        Assert.Equal(6UL, h.Count);
        Assert.Equal(1.5, h.Sum);
        Assert.Equal(0.01, h.Min);
        Assert.Equal(0.9, h.Max);
        Assert.Equal(new[] { 0.1, 0.5 }, h.ExplicitBounds);
        Assert.Equal(new[] { 3UL, 2UL, 1UL }, h.BucketCounts);
    }
}
