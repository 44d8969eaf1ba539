namespace Shop.AppHost.Dashboard.Telemetry;

/// <summary>
/// The dashboard's telemetry, in memory and bounded per resource (<see cref="TelemetryLimits"/>): the OTLP receiver
/// adds, the pages query. One lock guards everything: adds are short (a batch at a time) and queries copy what they
/// return, so a page never enumerates a collection the receiver is changing.
/// </summary>
public sealed partial class TelemetryRepository(TelemetryLimits limits)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ResourceData> _resources = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TraceData> _traces = new(StringComparer.Ordinal);
    private long _sequence;
    private long _logsDropped, _spansDropped, _pointsDropped;

    public TelemetryLimits Limits { get; } = limits;

    /// <summary>Raised after every accepted batch, outside the lock, on the receiver's thread: handlers must be quick (pages throttle and marshal).</summary>
    public event Action<TelemetryChange>? Changed;

    /// <summary>Resources that have sent anything, by name.</summary>
    public IReadOnlyList<string> Resources
    {
        get
        {
            lock (_gate)
            {
                return [.. _resources.Keys.Order(StringComparer.Ordinal)];
            }
        }
    }

    public void AddLogs(IReadOnlyList<LogEntry> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }
        lock (_gate)
        {
            foreach (var entry in entries)
            {
                var data = Resource(entry.Source.Resource);
                data.Logs.Enqueue(entry with { Sequence = ++_sequence });
                if (entry.Severity >= LogSeverity.Error)
                {
                    data.ErrorLogs++;
                }
                while (data.Logs.Count > Limits.MaxLogsPerResource)
                {
                    if (data.Logs.Dequeue().Severity >= LogSeverity.Error)
                    {
                        data.ErrorLogs--;
                        data.ViewedErrorLogs = Math.Max(0, data.ViewedErrorLogs - 1);
                    }
                    _logsDropped++;
                }
            }
        }
        Changed?.Invoke(TelemetryChange.Logs);
    }

    public void AddSpans(IReadOnlyList<SpanEntry> spans)
    {
        if (spans.Count == 0)
        {
            return;
        }
        lock (_gate)
        {
            foreach (var span in spans)
            {
                var data = Resource(span.Source.Resource);
                if (!_traces.TryGetValue(span.TraceId, out var trace))
                {
                    _traces[span.TraceId] = trace = new TraceData();
                }
                var existing = trace.Spans.FindIndex(s => s.SpanId == span.SpanId);
                if (existing >= 0)
                {
                    // An exporter's retry: the same span again. Keep one copy (the newest) in the trace; the resource's
                    // queue may then hold a stale reference, which eviction below tolerates.
                    trace.Spans[existing] = span;
                    continue;
                }
                trace.Spans.Add(span);
                trace.Sequence = ++_sequence;
                if (span.Start < trace.Start || trace.Start == default)
                {
                    trace.Start = span.Start;
                }
                data.Spans.Enqueue(span);
                while (data.Spans.Count > Limits.MaxSpansPerResource)
                {
                    Evict(data.Spans.Dequeue());
                    _spansDropped++;
                }
            }
        }
        Changed?.Invoke(TelemetryChange.Spans);
    }

    public void AddMetrics(TelemetrySource source, IReadOnlyList<MetricUpdate> updates)
    {
        if (updates.Count == 0)
        {
            return;
        }
        lock (_gate)
        {
            var data = Resource(source.Resource);
            foreach (var update in updates)
            {
                var key = (update.Meter, update.Name);
                if (!data.Instruments.TryGetValue(key, out var instrument))
                {
                    if (data.Instruments.Count >= Limits.MaxInstrumentsPerResource)
                    {
                        _pointsDropped++;
                        continue;
                    }
                    data.Instruments[key] = instrument = new InstrumentData(update);
                }
                instrument.Describe(update);
                // Replicas of one resource report the same attributes: the second and later replicas' series carry
                // their instance id, so the replicas' series stay apart.
                data.FirstInstance ??= source.InstanceId;
                IReadOnlyList<KeyValuePair<string, string>> attributes = source.InstanceId != data.FirstInstance
                    ? [.. update.Attributes, new("service.instance.id", source.InstanceId)]
                    : update.Attributes;
                var seriesKey = string.Join('\u001f', attributes.Select(a => $"{a.Key}\u001e{a.Value}"));
                if (!instrument.Series.TryGetValue(seriesKey, out var series))
                {
                    if (instrument.Series.Count >= Limits.MaxSeriesPerInstrument)
                    {
                        _pointsDropped++;
                        continue;
                    }
                    instrument.Series[seriesKey] = series = new SeriesData(attributes);
                }
                if (series.Points.Count > 0 && SameValue(series.Points[^1], update.Point))
                {
                    series.Points[^1] = series.Points[^1] with { Time = update.Point.Time };
                    continue;
                }
                series.Points.Add(update.Point);
                data.MetricPoints++;
                if (series.Points.Count > Limits.MaxPointsPerSeries)
                {
                    series.Points.RemoveAt(0);
                    data.MetricPoints--;
                    _pointsDropped++;
                }
            }
        }
        Changed?.Invoke(TelemetryChange.Metrics);
    }

    private ResourceData Resource(string name)
    {
        if (!_resources.TryGetValue(name, out var data))
        {
            _resources[name] = data = new ResourceData();
        }
        return data;
    }

    private void Evict(SpanEntry span)
    {
        if (!_traces.TryGetValue(span.TraceId, out var trace))
        {
            return;
        }
        var index = trace.Spans.FindIndex(s => s.SpanId == span.SpanId && s.Source == span.Source);
        if (index >= 0)
        {
            trace.Spans.RemoveAt(index);
        }
        if (trace.Spans.Count == 0)
        {
            _traces.Remove(span.TraceId);
        }
        else if (span.Start <= trace.Start)
        {
            trace.Start = trace.Spans.Min(s => s.Start);
        }
    }

    private static bool SameValue(MetricPoint last, MetricPoint next)
        => last.Start == next.Start && last.Value.Equals(next.Value) && last.Count == next.Count && last.Sum.Equals(next.Sum)
           && last.BucketCounts.SequenceEqual(next.BucketCounts);

    private sealed class ResourceData
    {
        public Queue<LogEntry> Logs { get; } = new();
        public Queue<SpanEntry> Spans { get; } = new();
        public Dictionary<(string Meter, string Name), InstrumentData> Instruments { get; } = new();
        public int ErrorLogs { get; set; }
        public int ViewedErrorLogs { get; set; }
        public long MetricPoints { get; set; }
        public string? FirstInstance { get; set; }
    }

    private sealed class TraceData
    {
        public List<SpanEntry> Spans { get; } = [];
        public DateTime Start { get; set; }
        public long Sequence { get; set; }
    }

    private sealed class InstrumentData(MetricUpdate first)
    {
        public string Meter { get; } = first.Meter;
        public string Name { get; } = first.Name;
        public string Description { get; private set; } = first.Description;
        public string Unit { get; private set; } = first.Unit;
        public MetricKind Kind { get; private set; } = first.Kind;
        public bool IsMonotonic { get; private set; } = first.IsMonotonic;
        public bool IsCumulative { get; private set; } = first.IsCumulative;
        public Dictionary<string, SeriesData> Series { get; } = new(StringComparer.Ordinal);

        public void Describe(MetricUpdate update)
        {
            Description = update.Description.Length > 0 ? update.Description : Description;
            Unit = update.Unit.Length > 0 ? update.Unit : Unit;
            Kind = update.Kind;
            IsMonotonic = update.IsMonotonic;
            IsCumulative = update.IsCumulative;
        }
    }

    private sealed class SeriesData(IReadOnlyList<KeyValuePair<string, string>> attributes)
    {
        public IReadOnlyList<KeyValuePair<string, string>> Attributes { get; } = attributes;
        public List<MetricPoint> Points { get; } = [];
    }
}

[Flags]
public enum TelemetryChange
{
    Logs = 1,
    Spans = 2,
    Metrics = 4,
}
