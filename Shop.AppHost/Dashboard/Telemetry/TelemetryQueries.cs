namespace Shop.AppHost.Dashboard.Telemetry;

public sealed record LogQuery
{
    /// <summary>One resource, or all when null.</summary>
    public string? Resource { get; init; }

    public LogSeverity? MinSeverity { get; init; }

    /// <summary>Case-insensitive: matches the message, the category, or an attribute written "key=value" (or its key or value alone).</summary>
    public string? Text { get; init; }

    public string? TraceId { get; init; }

    /// <summary>Newest first: how many to return.</summary>
    public int Take { get; init; } = 500;
}

public sealed record LogPage(IReadOnlyList<LogEntry> Entries, int TotalMatches);

public sealed record TraceQuery
{
    /// <summary>Traces with at least one span of this resource, or all when null.</summary>
    public string? Resource { get; init; }

    /// <summary>Case-insensitive: matches the trace id, a span's name, or a span attribute's value.</summary>
    public string? Text { get; init; }

    public TimeSpan? MinDuration { get; init; }

    /// <summary>Newest first (by start time): how many to return.</summary>
    public int Take { get; init; } = 200;
}

public sealed record TracePage(IReadOnlyList<TraceEntry> Traces, int TotalMatches);

/// <summary>An instrument without its points, for lists.</summary>
public sealed record InstrumentSummary(string Resource, string Meter, string Name, string Description, string Unit, MetricKind Kind, int SeriesCount);

/// <summary>What the store holds and what it has let go; for the bench and the tests.</summary>
public sealed record TelemetryCounts(long Logs, long Spans, long Traces, long MetricPoints, long LogsDropped, long SpansDropped, long PointsDropped);

/// <summary>A metric point as the receiver decoded it, with the instrument it belongs to.</summary>
public sealed record MetricUpdate
{
    public required string Meter { get; init; }
    public required string Name { get; init; }
    public string Description { get; init; } = "";
    public string Unit { get; init; } = "";
    public required MetricKind Kind { get; init; }
    public bool IsMonotonic { get; init; }
    public bool IsCumulative { get; init; } = true;
    public IReadOnlyList<KeyValuePair<string, string>> Attributes { get; init; } = [];
    public required MetricPoint Point { get; init; }
}
