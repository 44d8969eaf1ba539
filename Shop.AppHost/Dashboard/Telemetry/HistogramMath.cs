namespace Shop.AppHost.Dashboard.Telemetry;

/// <summary>
/// Percentiles from OTLP explicit-bucket histograms, as the Metrics page charts them. Pure functions over the bucket
/// layout of <see cref="MetricPoint"/>: <c>ExplicitBounds</c> b0 &lt; b1 &lt; … and one more count than bounds, the
/// buckets being (-∞, b0], (b0, b1], …, (bN-1, +∞).
/// </summary>
public static class HistogramMath
{
    /// <summary>
    /// The value below which <paramref name="quantile"/> (0..1) of the observations fall, interpolated linearly within
    /// the bucket that holds that rank (as Prometheus' <c>histogram_quantile</c>). The first bucket starts at 0 when its
    /// bound is positive (durations, sizes); the open last bucket ends at its lower bound. A known
    /// <paramref name="min"/>/<paramref name="max"/> narrows the first and last buckets and bounds the result.
    /// Null when there are no observations or the layout is inconsistent.
    /// </summary>
    public static double? Percentile(IReadOnlyList<double> bounds, IReadOnlyList<ulong> counts, double quantile, double? min = null, double? max = null)
    {
        ArgumentNullException.ThrowIfNull(bounds);
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Count != bounds.Count + 1 || double.IsNaN(quantile))
        {
            return null;
        }
        var total = Total(counts);
        if (total == 0)
        {
            return null;
        }
        var q = Math.Clamp(quantile, 0, 1);
        var rank = q * total;
        ulong before = 0;
        for (var i = 0; i < counts.Count; i++)
        {
            var count = counts[i];
            if (count == 0)
            {
                continue;
            }
            // The first bucket whose cumulative count reaches the rank (rank 0: the first one with anything in it).
            if (before + count >= rank)
            {
                var (lower, upper) = BucketRange(bounds, i, min, max);
                if (lower is null || upper is null)
                {
                    return null;
                }
                var fraction = Math.Clamp((rank - before) / count, 0, 1);
                return lower.Value + ((upper.Value - lower.Value) * fraction);
            }
            before += count;
        }
        return null; // unreachable: the last non-empty bucket reaches the total
    }

    /// <summary>
    /// The bucket counts of the interval between two cumulative points of one series: the difference, or
    /// <paramref name="current"/>'s own counts when there is no previous point, the series restarted (another start
    /// time, a count that went down) or the bucket layout changed.
    /// </summary>
    public static IReadOnlyList<ulong> IntervalCounts(MetricPoint? previous, MetricPoint current)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (previous is null || previous.Start != current.Start
            || previous.BucketCounts.Count != current.BucketCounts.Count
            || !previous.ExplicitBounds.SequenceEqual(current.ExplicitBounds))
        {
            return current.BucketCounts;
        }
        var result = new ulong[current.BucketCounts.Count];
        for (var i = 0; i < result.Length; i++)
        {
            if (current.BucketCounts[i] < previous.BucketCounts[i])
            {
                return current.BucketCounts;
            }
            result[i] = current.BucketCounts[i] - previous.BucketCounts[i];
        }
        return result;
    }

    /// <summary>Bucket-wise sum of two histograms of the same layout (series merged); null when the layouts differ.</summary>
    public static ulong[]? Add(IReadOnlyList<ulong> a, IReadOnlyList<ulong> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count)
        {
            return null;
        }
        var result = new ulong[a.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = a[i] + b[i];
        }
        return result;
    }

    public static ulong Total(IReadOnlyList<ulong> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ulong total = 0;
        foreach (var c in counts)
        {
            total += c;
        }
        return total;
    }

    // The value range of bucket i; both null only for a lone unbounded bucket with no min/max.
    private static (double? Lower, double? Upper) BucketRange(IReadOnlyList<double> bounds, int i, double? min, double? max)
    {
        double? lower = i > 0 ? bounds[i - 1] : bounds.Count > 0 && bounds[0] > 0 ? 0 : null;
        double? upper = i < bounds.Count ? bounds[i] : null;
        // min/max tighten the range; they cannot widen it (a min/max beyond the bucket is stale or foreign data).
        if (min is { } lo && !double.IsNaN(lo) && (lower is null || lo > lower) && (upper is null || lo <= upper))
        {
            lower = lo;
        }
        if (max is { } hi && !double.IsNaN(hi) && (upper is null || hi < upper) && (lower is null || hi >= lower))
        {
            upper = hi;
        }
        // An open end without a min/max: report the known end, as Prometheus does (never invent a value).
        return (lower ?? upper, upper ?? lower);
    }
}
