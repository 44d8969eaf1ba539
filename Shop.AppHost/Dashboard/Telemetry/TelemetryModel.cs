namespace Shop.AppHost.Dashboard.Telemetry;

// What the dashboard keeps of the OTLP it receives: plain immutable values, decoupled from the protobuf types so the
// pages and the store never see the wire format. Times are UTC; ids are lowercase hex as in W3C trace context.

/// <summary>Who sent it: OTLP's <c>service.name</c> (the AppHost's resource name) and <c>service.instance.id</c> (the replica).</summary>
public readonly record struct TelemetrySource(string Resource, string InstanceId);

public enum LogSeverity
{
    Trace = 1,
    Debug = 5,
    Information = 9,
    Warning = 13,
    Error = 17,
    Critical = 21,
}

public sealed record LogEntry
{
    /// <summary>Increases with every entry the store accepts: a stable key and a "newer than" cursor for live views.</summary>
    public long Sequence { get; init; }

    public required TelemetrySource Source { get; init; }
    public required DateTime Timestamp { get; init; }
    public required LogSeverity Severity { get; init; }
    public required string Message { get; init; }

    /// <summary>The logger's category (the instrumentation scope's name), e.g. "Microsoft.AspNetCore.Hosting.Diagnostics".</summary>
    public string Category { get; init; } = "";

    public string? TraceId { get; init; }
    public string? SpanId { get; init; }
    public IReadOnlyList<KeyValuePair<string, string>> Attributes { get; init; } = [];
}

public enum SpanKind
{
    Unspecified = 0,
    Internal = 1,
    Server = 2,
    Client = 3,
    Producer = 4,
    Consumer = 5,
}

public enum SpanStatus
{
    Unset = 0,
    Ok = 1,
    Error = 2,
}

public sealed record SpanEvent(DateTime Timestamp, string Name, IReadOnlyList<KeyValuePair<string, string>> Attributes);

public sealed record SpanEntry
{
    public required TelemetrySource Source { get; init; }
    public required string TraceId { get; init; }
    public required string SpanId { get; init; }

    /// <summary>Null for a root span.</summary>
    public string? ParentSpanId { get; init; }

    public required string Name { get; init; }
    public SpanKind Kind { get; init; }
    public required DateTime Start { get; init; }
    public required DateTime End { get; init; }
    public SpanStatus Status { get; init; }
    public string? StatusMessage { get; init; }

    /// <summary>The instrumentation scope, e.g. "Microsoft.AspNetCore" or "Wolverine".</summary>
    public string Scope { get; init; } = "";

    public IReadOnlyList<KeyValuePair<string, string>> Attributes { get; init; } = [];
    public IReadOnlyList<SpanEvent> Events { get; init; } = [];

    public TimeSpan Duration => End >= Start ? End - Start : TimeSpan.Zero;

    /// <summary>An error status, or an exception event (what Aspire also shows in red).</summary>
    public bool IsError => Status == SpanStatus.Error || Events.Any(e => e.Name == "exception");
}

/// <summary>One trace as it stands: the spans the store still holds, ordered by start time.</summary>
public sealed record TraceEntry
{
    public required string TraceId { get; init; }
    public required IReadOnlyList<SpanEntry> Spans { get; init; }

    public DateTime Start => Spans.Count == 0 ? default : Spans.Min(s => s.Start);
    public DateTime End => Spans.Count == 0 ? default : Spans.Max(s => s.End);
    public TimeSpan Duration => End - Start;

    /// <summary>The span without a parent in this trace (or the earliest one while the root has not arrived yet).</summary>
    public SpanEntry? Root => Spans.FirstOrDefault(s => s.ParentSpanId is null) ?? Spans.FirstOrDefault(s => Spans.All(p => p.SpanId != s.ParentSpanId)) ?? Spans.FirstOrDefault();

    /// <summary>"resource: span name" of the root, as Aspire titles a trace.</summary>
    public string Name => Root is { } root ? $"{root.Source.Resource}: {root.Name}" : TraceId;

    public IReadOnlyList<string> Resources => [.. Spans.Select(s => s.Source.Resource).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    public int ErrorCount => Spans.Count(s => s.IsError);
}

public enum MetricKind
{
    Gauge,

    /// <summary>A sum: a counter when monotonic, an up-down counter when not.</summary>
    Sum,
    Histogram,
}

/// <summary>One time series' point. Number points set <see cref="Value"/>; histogram points set the bucket fields.</summary>
public sealed record MetricPoint
{
    /// <summary>The start of the interval this point covers (for cumulative data: when the series started).</summary>
    public DateTime Start { get; init; }

    /// <summary>When the point was taken. A point that repeats its predecessor's value only moves the predecessor's time.</summary>
    public required DateTime Time { get; init; }

    public double Value { get; init; }

    public ulong Count { get; init; }
    public double Sum { get; init; }
    public double? Min { get; init; }
    public double? Max { get; init; }

    /// <summary>Upper bounds of all buckets but the last (which is unbounded); <see cref="BucketCounts"/> has one more element.</summary>
    public IReadOnlyList<double> ExplicitBounds { get; init; } = [];
    public IReadOnlyList<ulong> BucketCounts { get; init; } = [];
}

/// <summary>One combination of attribute values of an instrument (a "dimension" in Aspire's words) and its points, oldest first.</summary>
public sealed record MetricSeries(IReadOnlyList<KeyValuePair<string, string>> Attributes, IReadOnlyList<MetricPoint> Points)
{
    /// <summary>"method=GET, route=/api" or "(no attributes)".</summary>
    public string Label => Attributes.Count == 0 ? "(no attributes)" : string.Join(", ", Attributes.Select(a => $"{a.Key}={a.Value}"));
}

public sealed record MetricInstrument
{
    public required string Resource { get; init; }

    /// <summary>The meter's name, e.g. "Microsoft.AspNetCore.Hosting" or "Shop.Ordering".</summary>
    public required string Meter { get; init; }

    public required string Name { get; init; }
    public string Description { get; init; } = "";
    public string Unit { get; init; } = "";
    public required MetricKind Kind { get; init; }
    public bool IsMonotonic { get; init; }

    /// <summary>True when each point holds the total since <see cref="MetricPoint.Start"/>; false for delta points.</summary>
    public bool IsCumulative { get; init; } = true;

    public IReadOnlyList<MetricSeries> Series { get; init; } = [];
}
