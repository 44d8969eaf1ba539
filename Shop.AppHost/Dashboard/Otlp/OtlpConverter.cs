using System.Globalization;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Shop.AppHost.Dashboard.Otlp.Proto.Collector.Logs;
using Shop.AppHost.Dashboard.Otlp.Proto.Collector.Metrics;
using Shop.AppHost.Dashboard.Otlp.Proto.Collector.Trace;
using Shop.AppHost.Dashboard.Telemetry;

namespace Shop.AppHost.Dashboard.Otlp;

/// <summary>What one OTLP request turned into: the items to store, and how many were refused and why (the first reason).</summary>
public sealed record OtlpConversion<T>(IReadOnlyList<T> Items, long Rejected, string? Error);

/// <summary>
/// OTLP protobuf requests to the dashboard's model (pure: no I/O, no store). Ids become lowercase hex, unix nanoseconds
/// UTC times, attribute values strings within <see cref="TelemetryLimits"/>. An item that breaks the protocol (an id of
/// the wrong length) is refused on its own and counted, so the rest of its batch is kept; nothing here throws on input.
/// Repeated texts come out as one shared instance (<see cref="TelemetryStrings"/>): equal values, much less memory.
/// </summary>
public static partial class OtlpConverter
{
    public const string UnknownService = "unknown_service";
    public const string OriginalFormatAttribute = "{OriginalFormat}";

    private const int TraceIdLength = 16;
    private const int SpanIdLength = 8;

    public static OtlpConversion<SpanEntry> ConvertTraces(ExportTraceServiceRequest request, TelemetryLimits limits)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(limits);
        var spans = new List<SpanEntry>();
        var errors = new ErrorCollector();
        foreach (var resourceSpans in request.ResourceSpans)
        {
            var source = SourceOf(resourceSpans.Resource);
            foreach (var scopeSpans in resourceSpans.ScopeSpans)
            {
                var scope = TelemetryStrings.Share(scopeSpans.Scope?.Name ?? "");
                foreach (var span in scopeSpans.Spans)
                {
                    if (ConvertSpan(span, source, scope, limits, out var reason) is { } entry)
                    {
                        spans.Add(entry);
                    }
                    else
                    {
                        errors.Add($"span '{span.Name}': {reason}");
                    }
                }
            }
        }
        return new OtlpConversion<SpanEntry>(spans, errors.Count, errors.Message("spans"));
    }

    public static OtlpConversion<LogEntry> ConvertLogs(ExportLogsServiceRequest request, TelemetryLimits limits, DateTime? now = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(limits);
        var logs = new List<LogEntry>();
        var errors = new ErrorCollector();
        var received = now ?? DateTime.UtcNow;
        foreach (var resourceLogs in request.ResourceLogs)
        {
            var source = SourceOf(resourceLogs.Resource);
            foreach (var scopeLogs in resourceLogs.ScopeLogs)
            {
                var category = TelemetryStrings.Share(scopeLogs.Scope?.Name ?? "");
                foreach (var record in scopeLogs.LogRecords)
                {
                    if (!TryOptionalId(record.TraceId, TraceIdLength, out var traceId) || !TryOptionalId(record.SpanId, SpanIdLength, out var spanId))
                    {
                        errors.Add($"log record: trace_id must be empty or {TraceIdLength} bytes and span_id empty or {SpanIdLength} bytes (got {record.TraceId.Length} and {record.SpanId.Length})");
                        continue;
                    }
                    var time = record.TimeUnixNano != 0 ? record.TimeUnixNano : record.ObservedTimeUnixNano;
                    logs.Add(new LogEntry
                    {
                        Source = source,
                        Timestamp = time != 0 ? ToDateTime(time) : received,
                        Severity = ToSeverity((int)record.SeverityNumber),
                        Message = record.Body is { } body ? TelemetryStrings.Share(ToText(body)) : "",
                        Category = category,
                        TraceId = traceId,
                        SpanId = spanId,
                        Attributes = ToAttributes(record.Attributes, limits),
                    });
                }
            }
        }
        return new OtlpConversion<LogEntry>(logs, errors.Count, errors.Message("log records"));
    }

    /// <summary>Metric points grouped by the resource (replica) that sent them, as <see cref="TelemetryRepository.AddMetrics"/> takes them.</summary>
    public static OtlpConversion<(TelemetrySource Source, IReadOnlyList<MetricUpdate> Updates)> ConvertMetrics(ExportMetricsServiceRequest request, TelemetryLimits limits)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(limits);
        var result = new List<(TelemetrySource, IReadOnlyList<MetricUpdate>)>();
        var errors = new ErrorCollector();
        foreach (var resourceMetrics in request.ResourceMetrics)
        {
            var source = SourceOf(resourceMetrics.Resource);
            var updates = new List<MetricUpdate>();
            foreach (var scopeMetrics in resourceMetrics.ScopeMetrics)
            {
                var meter = TelemetryStrings.Share(scopeMetrics.Scope?.Name ?? "");
                foreach (var metric in scopeMetrics.Metrics)
                {
                    ConvertMetric(metric, meter, limits, updates, errors);
                }
            }
            if (updates.Count > 0)
            {
                result.Add((source, updates));
            }
        }
        return new(result, errors.Count, errors.Message("data points"));
    }

    private static SpanEntry? ConvertSpan(Proto.Trace.Span span, TelemetrySource source, string scope, TelemetryLimits limits, out string? reason)
    {
        if (!IsValidId(span.TraceId, TraceIdLength))
        {
            reason = $"trace_id must be {TraceIdLength} bytes, not all zero (got {span.TraceId.Length})";
            return null;
        }
        if (!IsValidId(span.SpanId, SpanIdLength))
        {
            reason = $"span_id must be {SpanIdLength} bytes, not all zero (got {span.SpanId.Length})";
            return null;
        }
        if (!TryOptionalId(span.ParentSpanId, SpanIdLength, out var parent))
        {
            reason = $"parent_span_id must be empty or {SpanIdLength} bytes (got {span.ParentSpanId.Length})";
            return null;
        }
        reason = null;
        var events = span.Events.Count == 0 ? (IReadOnlyList<SpanEvent>)[] : span.Events
            .Take(limits.MaxSpanEvents)
            .Select(e => new SpanEvent(ToDateTime(e.TimeUnixNano), TelemetryStrings.Share(e.Name), ToAttributes(e.Attributes, limits)))
            .ToArray();
        var kind = (int)span.Kind;
        return new SpanEntry
        {
            Source = source,
            TraceId = IdStrings.Hex(span.TraceId),
            SpanId = IdStrings.Hex(span.SpanId),
            ParentSpanId = parent,
            Name = TelemetryStrings.Share(span.Name),
            Kind = kind is >= 0 and <= (int)SpanKind.Consumer ? (SpanKind)kind : SpanKind.Unspecified,
            Start = ToDateTime(span.StartTimeUnixNano),
            End = ToDateTime(span.EndTimeUnixNano),
            Status = span.Status?.Code switch
            {
                Proto.Trace.Status.Types.StatusCode.Ok => SpanStatus.Ok,
                Proto.Trace.Status.Types.StatusCode.Error => SpanStatus.Error,
                _ => SpanStatus.Unset,
            },
            StatusMessage = span.Status is { Message.Length: > 0 } status ? TelemetryStrings.Share(status.Message) : null,
            Scope = scope,
            Attributes = ToAttributes(span.Attributes, limits),
            Events = events,
        };
    }

    private static void ConvertMetric(Proto.Metrics.Metric metric, string meter, TelemetryLimits limits, List<MetricUpdate> updates, ErrorCollector errors)
    {
        switch (metric.DataCase)
        {
            case Proto.Metrics.Metric.DataOneofCase.Gauge:
                foreach (var point in metric.Gauge.DataPoints)
                {
                    AddNumber(point, MetricKind.Gauge, isMonotonic: false, isCumulative: true);
                }
                break;
            case Proto.Metrics.Metric.DataOneofCase.Sum:
                var cumulative = metric.Sum.AggregationTemporality != Proto.Metrics.AggregationTemporality.Delta;
                foreach (var point in metric.Sum.DataPoints)
                {
                    AddNumber(point, MetricKind.Sum, metric.Sum.IsMonotonic, cumulative);
                }
                break;
            case Proto.Metrics.Metric.DataOneofCase.Histogram:
                var histogramCumulative = metric.Histogram.AggregationTemporality != Proto.Metrics.AggregationTemporality.Delta;
                foreach (var point in metric.Histogram.DataPoints)
                {
                    if (IsNoRecordedValue(point.Flags))
                    {
                        continue;
                    }
                    if (point.BucketCounts.Count != 0 && point.BucketCounts.Count != point.ExplicitBounds.Count + 1)
                    {
                        errors.Add($"histogram '{metric.Name}': {point.BucketCounts.Count} bucket counts for {point.ExplicitBounds.Count} bounds (must be one more)");
                        continue;
                    }
                    updates.Add(Update(MetricKind.Histogram, isMonotonic: false, histogramCumulative, point.Attributes, new MetricPoint
                    {
                        Start = ToDateTime(point.StartTimeUnixNano),
                        Time = ToDateTime(point.TimeUnixNano),
                        Count = point.Count,
                        Sum = point.HasSum ? point.Sum : 0,
                        Min = point.HasMin ? point.Min : null,
                        Max = point.HasMax ? point.Max : null,
                        ExplicitBounds = TelemetryStrings.ShareBounds(point.ExplicitBounds),
                        BucketCounts = [.. point.BucketCounts],
                    }));
                }
                break;
            case Proto.Metrics.Metric.DataOneofCase.ExponentialHistogram:
                errors.Add($"metric '{metric.Name}': exponential histograms are not supported", metric.ExponentialHistogram.DataPoints.Count);
                break;
            case Proto.Metrics.Metric.DataOneofCase.Summary:
                errors.Add($"metric '{metric.Name}': summaries are not supported", metric.Summary.DataPoints.Count);
                break;
            default:
                break; // no data: nothing to keep, nothing refused
        }

        void AddNumber(Proto.Metrics.NumberDataPoint point, MetricKind kind, bool isMonotonic, bool isCumulative)
        {
            double value;
            switch (point.ValueCase)
            {
                case Proto.Metrics.NumberDataPoint.ValueOneofCase.AsDouble:
                    value = point.AsDouble;
                    break;
                case Proto.Metrics.NumberDataPoint.ValueOneofCase.AsInt:
                    value = point.AsInt;
                    break;
                default:
                    return; // a point without a value (or flagged "no recorded value") carries nothing to show
            }
            if (IsNoRecordedValue(point.Flags))
            {
                return;
            }
            updates.Add(Update(kind, isMonotonic, isCumulative, point.Attributes, new MetricPoint
            {
                Start = ToDateTime(point.StartTimeUnixNano),
                Time = ToDateTime(point.TimeUnixNano),
                Value = value,
            }));
        }

        MetricUpdate Update(MetricKind kind, bool isMonotonic, bool isCumulative, RepeatedField<Proto.Common.KeyValue> attributes, MetricPoint point) => new()
        {
            Meter = meter,
            Name = TelemetryStrings.Share(metric.Name),
            Description = TelemetryStrings.Share(metric.Description),
            Unit = TelemetryStrings.Share(metric.Unit),
            Kind = kind,
            IsMonotonic = isMonotonic,
            IsCumulative = isCumulative,
            Attributes = ToAttributes(attributes, limits),
            Point = point,
        };
    }

    private static bool IsNoRecordedValue(uint flags) => (flags & (uint)Proto.Metrics.DataPointFlags.NoRecordedValueMask) != 0;

    private sealed class ErrorCollector
    {
        private string? _first;

        public long Count { get; private set; }

        public void Add(string reason, long items = 1)
        {
            if (items <= 0)
            {
                return;
            }
            _first ??= reason;
            Count += items;
        }

        public string? Message(string what) => Count == 0 ? null : Count == 1 ? _first : $"{Count} {what} rejected; first: {_first}";
    }
}
