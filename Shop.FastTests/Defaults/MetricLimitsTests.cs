using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Shop.ServiceDefaults.Telemetry;

namespace Shop.Tests.Defaults;

/// <summary>
/// The smaller cardinality limit every service's metrics get: it keeps what an instrument advises, and a stream
/// with more series than the limit loses no measurement.
/// </summary>
public sealed class MetricLimitsTests
{
    [Fact]
    public void An_instrument_keeps_its_advised_histogram_buckets()
    {
        using var meter = new Meter($"Shop.Tests.MetricLimits.{Guid.NewGuid():N}");
        var histogram = meter.CreateHistogram<double>("request.duration", "s",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.1, 1] });
        var exported = new List<ExportedPoint>();
        using (var provider = BuildProvider(meter.Name, exported))
        {
            histogram.Record(0.05);
            provider.ForceFlush();
        }

        var point = Assert.Single(exported, p => p.Name == "request.duration");
        Assert.Equal([0.01, 0.1, 1, double.PositiveInfinity], point.BucketBounds);
        Assert.Equal(1, point.Count);
    }

    [Fact]
    public void Series_past_the_limit_are_added_to_the_overflow_series()
    {
        using var meter = new Meter($"Shop.Tests.MetricLimits.{Guid.NewGuid():N}");
        var counter = meter.CreateCounter<long>("orders");
        var exported = new List<ExportedPoint>();
        const int series = MetricLimits.SeriesPerStream + 50;
        using (var provider = BuildProvider(meter.Name, exported))
        {
            for (var i = 0; i < series; i++)
            {
                counter.Add(1, new KeyValuePair<string, object?>("customer", i));
            }

            provider.ForceFlush();
        }

        var points = exported.Where(p => p.Name == "orders").ToList();
        Assert.Equal(series, points.Sum(p => p.Sum));
        var overflow = Assert.Single(points, p => p.Tags.ContainsKey("otel.metric.overflow"));
        Assert.True(overflow.Sum >= 50, $"the overflow series holds {overflow.Sum} measurements");
        Assert.True(points.Count <= MetricLimits.SeriesPerStream + 1, $"{points.Count} series exported");
    }

    private static MeterProvider BuildProvider(string meterName, List<ExportedPoint> exported) =>
        Sdk.CreateMeterProviderBuilder()
            .AddMeter(meterName)
            .AddMetricLimits()
            .AddReader(new BaseExportingMetricReader(new CapturingExporter(exported)))
            .Build();

    private sealed record ExportedPoint(string Name, Dictionary<string, object?> Tags, long Sum, long Count, double[] BucketBounds);

    /// <summary>
    /// Keeps the last export (the totals are cumulative; the provider's disposal exports once more), copying each point
    /// while the batch is valid: the SDK reuses them after the export.
    /// </summary>
    private sealed class CapturingExporter(List<ExportedPoint> exported) : BaseExporter<Metric>
    {
        public override ExportResult Export(in Batch<Metric> batch)
        {
            exported.Clear();
            foreach (var metric in batch)
            {
                foreach (ref readonly var point in metric.GetMetricPoints())
                {
                    var tags = new Dictionary<string, object?>();
                    foreach (var tag in point.Tags)
                    {
                        tags[tag.Key] = tag.Value;
                    }

                    if (metric.MetricType == MetricType.Histogram)
                    {
                        var bounds = new List<double>();
                        foreach (var bucket in point.GetHistogramBuckets())
                        {
                            bounds.Add(bucket.ExplicitBound);
                        }

                        exported.Add(new ExportedPoint(metric.Name, tags, 0, point.GetHistogramCount(), [.. bounds]));
                    }
                    else
                    {
                        exported.Add(new ExportedPoint(metric.Name, tags, point.GetSumLong(), 0, []));
                    }
                }
            }

            return ExportResult.Success;
        }
    }
}
