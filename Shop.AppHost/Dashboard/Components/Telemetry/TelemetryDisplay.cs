using System.Collections.Concurrent;
using System.Globalization;
using Shop.AppHost.Dashboard.Telemetry;

namespace Shop.AppHost.Dashboard.Components.Telemetry;

/// <summary>How telemetry is shown: resource colors, level words, durations, numbers and times shared by the pages.</summary>
public static class TelemetryDisplay
{
    // Distinct hues that read on white and are not the red reserved for errors (or the amber of warnings).
    private static readonly string[] Palette =
    [
        "#0f6cbd", "#8764b8", "#038387", "#ca5010", "#498205", "#c239b3", "#4f6bed", "#00838f", "#8e562e", "#5c2e91",
        "#0b6a0b", "#9b5de5", "#3a7ca5", "#b5651d", "#6b6b6b",
    ];

    private static readonly ConcurrentDictionary<string, int> ColorSlots = new(StringComparer.Ordinal);
    private static int _nextSlot = -1;

    /// <summary>
    /// One color per resource, the same on every page and in every browser for the life of the process: handed out in
    /// the order resources are first shown, so the first resources never share a color.
    /// </summary>
    public static string ResourceColor(string resource) =>
        Palette[ColorSlots.GetOrAdd(resource, _ => Interlocked.Increment(ref _nextSlot)) % Palette.Length];

    public static string LevelText(LogSeverity severity) => severity switch
    {
        LogSeverity.Trace => "Trace",
        LogSeverity.Debug => "Debug",
        LogSeverity.Information => "Information",
        LogSeverity.Warning => "Warning",
        LogSeverity.Error => "Error",
        LogSeverity.Critical => "Critical",
        _ => severity.ToString(),
    };

    /// <summary>A CSS class per level: error and critical rows stand out in red, warnings in amber.</summary>
    public static string LevelClass(LogSeverity severity) => severity switch
    {
        >= LogSeverity.Critical => "level-critical",
        >= LogSeverity.Error => "level-error",
        >= LogSeverity.Warning => "level-warning",
        >= LogSeverity.Information => "level-information",
        _ => "level-debug",
    };

    /// <summary>The query-string word of a level (<c>?level=error</c>), lowercase.</summary>
    public static string LevelKey(LogSeverity severity) => LevelText(severity).ToLowerInvariant();

    /// <summary>"error", "Error", "warn", "17"… to a level; null for anything else (all levels).</summary>
    public static LogSeverity? ParseLevel(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        text = text.Trim();
        if (text.Equals("warn", StringComparison.OrdinalIgnoreCase))
        {
            return LogSeverity.Warning;
        }
        if (text.Equals("info", StringComparison.OrdinalIgnoreCase))
        {
            return LogSeverity.Information;
        }
        return Enum.TryParse<LogSeverity>(text, ignoreCase: true, out var level) && Enum.IsDefined(level) ? level : null;
    }

    /// <summary>"850μs", "12.3ms", "1.25s", "2m 05s": three significant digits, like Aspire's trace views.</summary>
    public static string Duration(TimeSpan duration)
    {
        var ms = duration.TotalMilliseconds;
        return ms switch
        {
            0 => "0ms",
            < 1 => F($"{Math.Round(ms * 1000)}μs"),
            < 10 => F($"{ms:0.##}ms"),
            < 100 => F($"{ms:0.#}ms"),
            < 1000 => F($"{ms:0}ms"),
            < 10_000 => F($"{ms / 1000:0.##}s"),
            < 60_000 => F($"{ms / 1000:0.#}s"),
            _ => F($"{(int)duration.TotalMinutes}m {duration.Seconds:00}s"),
        };
    }

    /// <summary>A number for an axis or a table: thousands as k/M/G, at most three significant decimals.</summary>
    public static string Number(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            return "—";
        }
        var abs = Math.Abs(value);
        return abs switch
        {
            >= 1e9 => F($"{value / 1e9:0.##}G"),
            >= 1e6 => F($"{value / 1e6:0.##}M"),
            >= 1e4 => F($"{value / 1e3:0.#}k"),
            >= 100 => F($"{value:0.#}"),
            >= 1 => F($"{value:0.##}"),
            0 => "0",
            >= 0.001 => F($"{value:0.####}"),
            _ => value.ToString("0.##e+0", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>"12.5ms", "59.5k ms", "3 order": short units stick to a plain number, others (and k/M/G) get a space.</summary>
    public static string WithUnit(double value, string unit)
    {
        if (unit == "B" && Math.Abs(value) >= 1024)
        {
            var exponent = Math.Min(4, (int)Math.Floor(Math.Log(Math.Abs(value), 1024)));
            return F($"{value / Math.Pow(1024, exponent):0.#} {"BKMGT"[exponent]}B");
        }
        var number = Number(value);
        return unit.Length == 0 ? number : unit.Length <= 2 && char.IsDigit(number[^1]) ? number + unit : $"{number} {unit}";
    }

    /// <summary>An OTel unit as a suffix: "ms", "s", "By" as "B", and the "{request}" annotations as words.</summary>
    public static string Unit(string unit) => unit switch
    {
        "" or "1" => "",
        "By" => "B",
        _ when unit.StartsWith('{') && unit.EndsWith('}') => unit[1..^1],
        _ => unit,
    };

    /// <summary>
    /// The unit an instrument's values are shown in, and the factor to get there: request durations are recorded in
    /// seconds (OTel's convention) but read better in milliseconds, as Aspire shows them.
    /// </summary>
    public static (string Unit, double Scale) DisplayUnit(MetricInstrument instrument)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        return instrument.Kind == MetricKind.Histogram && instrument.Unit == "s" ? ("ms", 1000) : (Unit(instrument.Unit), 1);
    }

    /// <summary>Local wall-clock time (the dashboard runs beside the person looking at it).</summary>
    public static string Time(DateTime utc, string format = "HH:mm:ss.fff") =>
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToLocalTime().ToString(format, CultureInfo.InvariantCulture);

    /// <summary>The first 7 hex digits of a trace or span id, as git and Aspire abbreviate them.</summary>
    public static string ShortId(string? id) => string.IsNullOrEmpty(id) ? "" : id.Length <= 7 ? id : id[..7];

    public static string Percent(double fraction) => F($"{Math.Clamp(fraction, 0, 1) * 100:0.###}%");

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
