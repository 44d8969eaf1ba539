using Shop.AppHost.Dashboard.Components.Telemetry;
using Shop.AppHost.Dashboard.Telemetry;

namespace Shop.Tests.Dashboard;

/// <summary>The Metrics page's percentile math over explicit-bucket histograms: pure code, no host.</summary>
public sealed class HistogramMathTests
{
    // Buckets (-inf,10], (10,20], (20,50], (50,+inf).
    private static readonly double[] Bounds = [10, 20, 50];

    private static MetricPoint Point(DateTime start, params ulong[] counts) => new()
    {
        Start = start,
        Time = start.AddSeconds(10),
        Count = HistogramMath.Total(counts),
        ExplicitBounds = Bounds,
        BucketCounts = counts,
    };

    private static readonly DateTime T0 = new(2025, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void median_interpolates_linearly_inside_the_bucket_that_holds_its_rank()
    {
        // 10 observations: 0 / 4 / 4 / 2. Rank 5 is the 1st of 4 in (20,50]: 20 + 30 * 1/4.
        Assert.Equal(27.5, HistogramMath.Percentile(Bounds, [0, 4, 4, 2], 0.5));
        // 2 / 4 / 4 / 0: rank 5 is the 3rd of 4 in (10,20]: 10 + 10 * 3/4.
        Assert.Equal(17.5, HistogramMath.Percentile(Bounds, [2, 4, 4, 0], 0.5));
    }

    [Fact]
    public void a_rank_on_a_bucket_edge_is_that_bucket_upper_bound()
    {
        // Rank 4 of 8 closes (10,20] exactly.
        Assert.Equal(20, HistogramMath.Percentile(Bounds, [0, 4, 4, 0], 0.5));
    }

    [Fact]
    public void the_first_bucket_starts_at_zero_when_its_bound_is_positive()
    {
        // All 10 in (-inf,10]: the median is halfway from 0 to 10.
        Assert.Equal(5, HistogramMath.Percentile(Bounds, [10, 0, 0, 0], 0.5));
    }

    [Fact]
    public void the_first_bucket_reports_its_bound_when_it_is_not_positive()
    {
        Assert.Equal(-1, HistogramMath.Percentile([-1, 0], [4, 0, 0], 0.5));
    }

    [Fact]
    public void the_open_last_bucket_reports_its_lower_bound_without_a_max()
    {
        Assert.Equal(50, HistogramMath.Percentile(Bounds, [0, 0, 0, 3], 0.99));
    }

    [Fact]
    public void the_open_last_bucket_interpolates_up_to_a_known_max()
    {
        // Rank 1.5 of 2 in (50, max 150]: 50 + 100 * 0.75.
        Assert.Equal(125, HistogramMath.Percentile(Bounds, [0, 0, 0, 2], 0.75, max: 150));
    }

    [Fact]
    public void a_known_min_tightens_the_first_bucket()
    {
        // (-inf,10] with min 6: the median of 2 is halfway from 6 to 10.
        Assert.Equal(8, HistogramMath.Percentile(Bounds, [2, 0, 0, 0], 0.5, min: 6));
    }

    [Fact]
    public void a_min_or_max_outside_the_bucket_is_ignored()
    {
        Assert.Equal(15, HistogramMath.Percentile(Bounds, [0, 2, 0, 0], 0.5, min: 30, max: 5));
    }

    [Fact]
    public void p0_and_p100_are_the_ends_of_the_first_and_last_non_empty_buckets()
    {
        ulong[] counts = [0, 2, 3, 0];
        Assert.Equal(10, HistogramMath.Percentile(Bounds, counts, 0));
        Assert.Equal(50, HistogramMath.Percentile(Bounds, counts, 1));
    }

    [Fact]
    public void p50_p90_p99_are_ordered()
    {
        ulong[] counts = [50, 30, 15, 5];
        var p50 = HistogramMath.Percentile(Bounds, counts, 0.50)!.Value;
        var p90 = HistogramMath.Percentile(Bounds, counts, 0.90)!.Value;
        var p99 = HistogramMath.Percentile(Bounds, counts, 0.99)!.Value;
        Assert.Equal(10, p50);
        Assert.Equal(20 + (30 * 10.0 / 15), p90, 9);
        Assert.Equal(50, p99);
        Assert.True(p50 <= p90 && p90 <= p99);
    }

    [Fact]
    public void no_observations_or_an_inconsistent_layout_give_no_percentile()
    {
        Assert.Null(HistogramMath.Percentile(Bounds, [0, 0, 0, 0], 0.5));
        Assert.Null(HistogramMath.Percentile(Bounds, [], 0.5));
        Assert.Null(HistogramMath.Percentile(Bounds, [1, 2, 3], 0.5));
        Assert.Null(HistogramMath.Percentile(Bounds, [1, 2, 3, 4], double.NaN));
    }

    [Fact]
    public void a_lone_unbounded_bucket_needs_min_and_max()
    {
        Assert.Null(HistogramMath.Percentile([], [5], 0.5));
        Assert.Equal(15, HistogramMath.Percentile([], [4], 0.5, min: 10, max: 20));
    }

    [Fact]
    public void interval_counts_are_the_difference_from_the_previous_cumulative_point()
    {
        var previous = Point(T0, 1, 2, 3, 0);
        var current = Point(T0, 1, 5, 4, 2) with { Time = T0.AddSeconds(20) };

        Assert.Equal([0UL, 3, 1, 2], HistogramMath.IntervalCounts(previous, current));
    }

    [Fact]
    public void interval_counts_fall_back_to_the_cumulative_counts_without_a_previous_point()
    {
        var current = Point(T0, 1, 5, 4, 2);

        Assert.Equal([1UL, 5, 4, 2], HistogramMath.IntervalCounts(null, current));
    }

    [Fact]
    public void interval_counts_fall_back_to_the_cumulative_counts_after_a_restart()
    {
        // A new start time, or a bucket that went down: the process restarted and counts began again.
        var previous = Point(T0, 4, 4, 4, 4);
        Assert.Equal([1UL, 1, 0, 0], HistogramMath.IntervalCounts(previous, Point(T0.AddMinutes(1), 1, 1, 0, 0)));
        Assert.Equal([5UL, 1, 4, 4], HistogramMath.IntervalCounts(previous, Point(T0, 5, 1, 4, 4)));
    }

    [Fact]
    public void interval_counts_fall_back_when_the_bucket_layout_changed()
    {
        var previous = Point(T0, 1, 1, 1, 1) with { ExplicitBounds = [1, 2, 3] };

        Assert.Equal([2UL, 2, 2, 2], HistogramMath.IntervalCounts(previous, Point(T0, 2, 2, 2, 2)));
    }

    [Fact]
    public void percentiles_of_an_interval_describe_only_that_interval()
    {
        // Cumulative: first 10 fast requests, then 10 slow ones. The interval's median is slow; the total's is not.
        var previous = Point(T0, 10, 0, 0, 0);
        var current = Point(T0, 10, 0, 10, 0) with { Time = T0.AddSeconds(20) };

        var interval = HistogramMath.IntervalCounts(previous, current);

        Assert.Equal(35, HistogramMath.Percentile(Bounds, interval, 0.5));
        Assert.Equal(10, HistogramMath.Percentile(Bounds, current.BucketCounts, 0.5));
    }

    [Fact]
    public void add_merges_series_of_the_same_layout_only()
    {
        Assert.Equal([2UL, 4, 6], HistogramMath.Add([1, 2, 3], [1, 2, 3]));
        Assert.Null(HistogramMath.Add([1, 2, 3], [1, 2]));
        Assert.Equal(6UL, HistogramMath.Total([1, 2, 3]));
    }

    private static MetricInstrument Histogram(params MetricSeries[] series) => new()
    {
        Resource = "gateway", Meter = "m", Name = "request.duration", Unit = "s", Kind = MetricKind.Histogram, Series = series,
    };

    [Fact]
    public void the_chart_gives_each_point_the_percentiles_of_its_interval()
    {
        // First point: cumulative fallback (10 fast). Second: only the 10 slow ones that came since.
        var first = Point(T0, 10, 0, 0, 0);
        var second = Point(T0, 10, 0, 10, 0) with { Time = T0.AddSeconds(20) };
        var instrument = Histogram(new MetricSeries([], [first, second]));

        var chart = MetricChartData.Build(instrument, instrument.Series);

        Assert.Equal(["P50", "P90", "P99"], chart.Lines.Select(l => l.Label));
        var p50 = chart.Lines[0].Points;
        Assert.Equal([(first.Time, 5.0), (second.Time, 35.0)], p50.Select(p => (p.Time, p.Value)));
        Assert.Equal(6, chart.PointCount);
    }

    [Fact]
    public void the_chart_merges_series_reported_at_the_same_time()
    {
        // One series all fast, the other all slow, 10 each: the median over both sits at the edge between them.
        var fast = new MetricSeries([new("route", "/a")], [Point(T0, 10, 0, 0, 0)]);
        var slow = new MetricSeries([new("route", "/b")], [Point(T0, 0, 0, 10, 0)]);
        var instrument = Histogram(fast, slow);

        var chart = MetricChartData.Build(instrument, instrument.Series);

        Assert.Equal(10, Assert.Single(chart.Lines[0].Points).Value);
        Assert.Equal(20 + (30 * 0.98), Assert.Single(chart.Lines[2].Points).Value, 9); // rank 19.8 of 20
        Assert.Equal(5, Assert.Single(MetricChartData.Build(instrument, [fast]).Lines[0].Points).Value);
    }

    [Fact]
    public void an_interval_without_observations_has_no_percentile_point()
    {
        var point = Point(T0, 3, 0, 0, 0);
        var instrument = Histogram(new MetricSeries([], [point, point with { Time = T0.AddSeconds(20), Count = 3 }]));

        var chart = MetricChartData.Build(instrument, instrument.Series);

        Assert.Single(chart.Lines[0].Points);
    }

    [Fact]
    public void the_total_of_number_series_counts_each_series_with_its_latest_value()
    {
        MetricPoint At(int seconds, double value) => new() { Time = T0.AddSeconds(seconds), Value = value };
        var a = new MetricSeries([new("k", "a")], [At(0, 1), At(20, 3)]);
        var b = new MetricSeries([new("k", "b")], [At(10, 10)]);

        var total = MetricChartData.StepSum([a, b]);

        Assert.Equal([1.0, 11, 13], total.Select(p => p.Value));
    }
}
