using Shop.AppHost.Dashboard.Telemetry;

namespace Shop.AppHost.Dashboard.Components.Telemetry;

public readonly record struct ChartPoint(DateTime Time, double Value);

public sealed record ChartLine(string Label, IReadOnlyList<ChartPoint> Points, bool IsTotal = false);

/// <summary>What a metric chart draws: its lines, and a note when it does not draw every series.</summary>
public sealed record ChartData(IReadOnlyList<ChartLine> Lines, string? Note = null)
{
    public int PointCount => Lines.Sum(l => l.Points.Count);

    /// <summary>The same chart with every value multiplied (seconds shown as milliseconds).</summary>
    public ChartData Scale(double factor) => factor == 1 ? this
        : this with { Lines = [.. Lines.Select(l => l with { Points = [.. l.Points.Select(p => p with { Value = p.Value * factor })] })] };
}

/// <summary>
/// Turns an instrument's series into chart lines. Gauges and sums: the value of each series (a counter's cumulative
/// value, as Aspire shows it), a line per series up to <see cref="MaxLines"/>, beyond that the largest series plus
/// their total. Histograms: P50, P90 and P99 over all the chosen series, each point describing the interval since the
/// series' previous point (see <see cref="HistogramMath.IntervalCounts"/>).
/// </summary>
public static class MetricChartData
{
    public const int MaxLines = 5;

    public static readonly (string Label, double Quantile)[] Percentiles = [("P50", 0.50), ("P90", 0.90), ("P99", 0.99)];

    public static ChartData Build(MetricInstrument instrument, IReadOnlyList<MetricSeries> series)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        ArgumentNullException.ThrowIfNull(series);
        return instrument.Kind == MetricKind.Histogram ? Histogram(series, instrument.IsCumulative) : Numbers(series);
    }

    private static ChartData Numbers(IReadOnlyList<MetricSeries> series)
    {
        var withPoints = series.Where(s => s.Points.Count > 0).ToList();
        if (withPoints.Count <= MaxLines)
        {
            return new ChartData([.. withPoints.Select(s => new ChartLine(s.Label, [.. s.Points.Select(p => new ChartPoint(p.Time, p.Value))]))]);
        }
        var largest = withPoints.OrderByDescending(s => s.Points[^1].Value).Take(MaxLines - 1).ToList();
        var lines = new List<ChartLine> { new($"Total of {withPoints.Count} series", StepSum(withPoints), IsTotal: true) };
        lines.AddRange(largest.Select(s => new ChartLine(s.Label, [.. s.Points.Select(p => new ChartPoint(p.Time, p.Value))])));
        return new ChartData(lines, $"The total and the {largest.Count} largest of {withPoints.Count} series; the table lists them all.");
    }

    /// <summary>
    /// The sum across series at every time any of them reported, each series counting with its latest value at that
    /// time (a series that has not reported yet counts 0): the store keeps a point only when the value changed.
    /// </summary>
    public static IReadOnlyList<ChartPoint> StepSum(IReadOnlyList<MetricSeries> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var times = series.SelectMany(s => s.Points.Select(p => p.Time)).Distinct().Order().ToList();
        var cursors = new int[series.Count];
        var result = new List<ChartPoint>(times.Count);
        foreach (var time in times)
        {
            double sum = 0;
            for (var i = 0; i < series.Count; i++)
            {
                var points = series[i].Points;
                while (cursors[i] < points.Count && points[cursors[i]].Time <= time)
                {
                    cursors[i]++;
                }
                if (cursors[i] > 0)
                {
                    sum += points[cursors[i] - 1].Value;
                }
            }
            result.Add(new ChartPoint(time, sum));
        }
        return result;
    }

    private static ChartData Histogram(IReadOnlyList<MetricSeries> series, bool cumulative)
    {
        // Each series' interval histograms, merged by time across series (one export stamps all series alike).
        var byTime = new SortedDictionary<DateTime, Interval>();
        foreach (var s in series)
        {
            for (var i = 0; i < s.Points.Count; i++)
            {
                var point = s.Points[i];
                var previous = cumulative && i > 0 ? s.Points[i - 1] : null;
                var counts = cumulative ? HistogramMath.IntervalCounts(previous, point) : point.BucketCounts;
                // Min and max cover a point's whole interval, which is this interval only without a previous point.
                var whole = !cumulative || ReferenceEquals(counts, point.BucketCounts);
                var interval = new Interval(point.ExplicitBounds, counts, whole ? point.Min : null, whole ? point.Max : null);
                byTime[point.Time] = byTime.TryGetValue(point.Time, out var existing) ? existing.Merge(interval) : interval;
            }
        }
        var lines = Percentiles.Select(p => (p.Label, Points: new List<ChartPoint>())).ToList();
        foreach (var (time, interval) in byTime)
        {
            for (var i = 0; i < Percentiles.Length; i++)
            {
                if (HistogramMath.Percentile(interval.Bounds, interval.Counts, Percentiles[i].Quantile, interval.Min, interval.Max) is { } value)
                {
                    lines[i].Points.Add(new ChartPoint(time, value));
                }
            }
        }
        return new ChartData([.. lines.Select(l => new ChartLine(l.Label, l.Points))],
            series.Count > 1 ? $"Percentiles over all {series.Count} series." : null);
    }

    private sealed record Interval(IReadOnlyList<double> Bounds, IReadOnlyList<ulong> Counts, double? Min, double? Max)
    {
        public Interval Merge(Interval other)
        {
            if (!Bounds.SequenceEqual(other.Bounds) || HistogramMath.Add(Counts, other.Counts) is not { } counts)
            {
                return HistogramMath.Total(other.Counts) > HistogramMath.Total(Counts) ? other : this; // different layouts: keep the larger
            }
            return new Interval(Bounds, counts, Min is { } a && other.Min is { } b ? Math.Min(a, b) : null,
                Max is { } c && other.Max is { } d ? Math.Max(c, d) : null);
        }
    }
}
