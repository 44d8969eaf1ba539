using System.Globalization;

namespace Shop.AppHost.Dashboard.Components.Telemetry;

/// <summary>Round numbers for chart axes: value ticks on 1-2-2.5-5 steps, time ticks on whole seconds and minutes.</summary>
public static class ChartAxes
{
    private static readonly TimeSpan[] TimeSteps =
    [
        TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(15),
        TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10),
        TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(6),
    ];

    /// <summary>
    /// The value axis for data between <paramref name="min"/> and <paramref name="max"/>: about <paramref name="count"/>
    /// ticks on a round step, the first at or below the data and the last at or above it. Starts at 0 for data that
    /// never goes below it (counts, durations, sizes), so the lines' heights compare.
    /// </summary>
    public static IReadOnlyList<double> ValueTicks(double min, double max, int count = 5)
    {
        if (double.IsNaN(min) || double.IsNaN(max) || double.IsInfinity(min) || double.IsInfinity(max))
        {
            return [0, 1];
        }
        if (min >= 0)
        {
            min = 0;
        }
        if (max <= min)
        {
            max = min + (Math.Abs(min) > 0 ? Math.Abs(min) : 1);
        }
        var step = NiceStep((max - min) / Math.Max(1, count - 1));
        var first = Math.Floor(min / step) * step;
        var ticks = new List<double>();
        for (var v = first; ticks.Count < 50; v += step)
        {
            ticks.Add(Math.Round(v / step) * step); // no 0.30000000000000004
            if (v >= max - (step * 1e-9))
            {
                break;
            }
        }
        return ticks;
    }

    /// <summary>1, 2, 2.5 or 5 times a power of ten, at least <paramref name="raw"/>.</summary>
    public static double NiceStep(double raw)
    {
        if (raw <= 0 || double.IsNaN(raw) || double.IsInfinity(raw))
        {
            return 1;
        }
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var fraction = raw / magnitude;
        var nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
        return nice * magnitude;
    }

    /// <summary>Times on a round step (whole seconds or minutes) within [from, to], about <paramref name="count"/> of them.</summary>
    public static IReadOnlyList<DateTime> TimeTicks(DateTime from, DateTime to, int count = 6)
    {
        if (to <= from)
        {
            return [from];
        }
        var span = to - from;
        var step = TimeSteps.FirstOrDefault(s => span / s <= count, TimeSteps[^1]);
        var first = new DateTime(((from.Ticks + step.Ticks - 1) / step.Ticks) * step.Ticks, from.Kind);
        var ticks = new List<DateTime>();
        for (var t = first; t <= to && ticks.Count < 100; t += step)
        {
            ticks.Add(t);
        }
        return ticks;
    }

    /// <summary>"HH:mm:ss", or "HH:mm" when the ticks fall on whole minutes.</summary>
    public static string TimeLabel(DateTime utc, bool wholeMinutes) =>
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToLocalTime().ToString(wholeMinutes ? "HH:mm" : "HH:mm:ss", CultureInfo.InvariantCulture);
}
