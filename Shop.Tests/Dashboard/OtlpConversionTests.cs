using Shop.AppHost.Dashboard.Otlp;
using Shop.AppHost.Dashboard.Telemetry;
using OtlpPb = Shop.AppHost.Dashboard.Otlp.Proto;

namespace Shop.Tests.Dashboard;

/// <summary>Conversion details: severities, unknown services, shared strings, unsupported metric types.</summary>
public sealed class OtlpConversionTests : OtlpReceiverTestBase
{
    [Theory]
    [InlineData(0, LogSeverity.Information)]
    [InlineData(1, LogSeverity.Trace)]
    [InlineData(4, LogSeverity.Trace)]
    [InlineData(5, LogSeverity.Debug)]
    [InlineData(8, LogSeverity.Debug)]
    [InlineData(9, LogSeverity.Information)]
    [InlineData(12, LogSeverity.Information)]
    [InlineData(13, LogSeverity.Warning)]
    [InlineData(16, LogSeverity.Warning)]
    [InlineData(17, LogSeverity.Error)]
    [InlineData(20, LogSeverity.Error)]
    [InlineData(21, LogSeverity.Critical)]
    [InlineData(24, LogSeverity.Critical)]
    [InlineData(99, LogSeverity.Information)]
    public void severity_numbers_map_by_range(int number, LogSeverity expected)
        => Assert.Equal(expected, OtlpConverter.ToSeverity(number));

    [Fact]
    public void a_resource_without_a_service_name_is_unknown_service()
    {
        Assert.Equal(new TelemetrySource("unknown_service", "unknown_service"), OtlpConverter.SourceOf(null));
        Assert.Equal(new TelemetrySource("unknown_service", "i-1"), OtlpConverter.SourceOf(new OtlpPb.Resource.Resource { Attributes = { Kv("service.instance.id", "i-1") } }));
    }

    [Fact]
    public void repeated_texts_and_ids_are_kept_once_and_unchanged()
    {
        var limits = new TelemetryLimits();
        var spans = Enumerable.Range(0, 3).Select(_ => OtlpConverter.ConvertTraces(SampleTraces(), limits).Items).ToList();

        // Three decodings of the same bytes: equal values, and from the second sighting on the same instances.
        Assert.All(spans, batch => Assert.Equal(spans[0].Select(s => (s.TraceId, s.SpanId, s.Name)), batch.Select(s => (s.TraceId, s.SpanId, s.Name))));
        Assert.Equal(spans[0][0].Attributes, spans[2][0].Attributes);
        Assert.Same(spans[1][0].Attributes[0].Key, spans[2][0].Attributes[0].Key);
        Assert.Same(spans[1][0].Attributes[0].Value, spans[2][0].Attributes[0].Value);
        Assert.Same(spans[2][0].SpanId, spans[2][1].ParentSpanId); // a child names its parent with the parent's own id string
        Assert.Same(spans[2][0].TraceId, spans[2][1].TraceId);
    }

    [Fact]
    public void unsupported_metric_types_are_counted_as_rejected_and_empty_values_are_skipped()
    {
        var request = SampleMetrics();
        var scope = request.ResourceMetrics[0].ScopeMetrics[0];
        scope.Metrics.Add(new OtlpPb.Metrics.Metric
        {
            Name = "exp",
            ExponentialHistogram = new OtlpPb.Metrics.ExponentialHistogram { DataPoints = { new OtlpPb.Metrics.ExponentialHistogramDataPoint(), new OtlpPb.Metrics.ExponentialHistogramDataPoint() } },
        });
        scope.Metrics.Add(new OtlpPb.Metrics.Metric
        {
            Name = "bad-buckets",
            Histogram = new OtlpPb.Metrics.Histogram { DataPoints = { new OtlpPb.Metrics.HistogramDataPoint { ExplicitBounds = { 1, 2 }, BucketCounts = { 1 } } } },
        });

        var result = OtlpConverter.ConvertMetrics(request, new TelemetryLimits());

        Assert.Equal(3, result.Rejected);
        Assert.Contains("exponential", result.Error, StringComparison.Ordinal);
        Assert.Equal(3, Assert.Single(result.Items).Updates.Count);
    }
}
