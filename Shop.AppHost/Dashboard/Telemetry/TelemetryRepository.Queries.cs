namespace Shop.AppHost.Dashboard.Telemetry;

// What the pages ask of the store: each query takes the lock and returns copies.
public sealed partial class TelemetryRepository
{
    public LogPage GetLogs(LogQuery query)
    {
        lock (_gate)
        {
            IEnumerable<ResourceData> sources = query.Resource is null ? _resources.Values : _resources.TryGetValue(query.Resource, out var one) ? [one] : [];
            var matches = sources.SelectMany(r => r.Logs).Where(e => Matches(e, query));
            // Each resource's queue is in arrival order; the sequence orders across resources.
            var all = matches.OrderByDescending(e => e.Sequence).ToList();
            return new LogPage(all.Take(query.Take).ToList(), all.Count);
        }
    }

    public TracePage GetTraces(TraceQuery query)
    {
        lock (_gate)
        {
            var all = _traces.Where(t => Matches(t.Key, t.Value, query))
                .OrderByDescending(t => t.Value.Start).ThenByDescending(t => t.Value.Sequence)
                .ToList();
            return new TracePage(all.Take(query.Take).Select(t => ToEntry(t.Key, t.Value)).ToList(), all.Count);
        }
    }

    public TraceEntry? GetTrace(string traceId)
    {
        lock (_gate)
        {
            return _traces.TryGetValue(traceId.ToLowerInvariant(), out var trace) ? ToEntry(traceId.ToLowerInvariant(), trace) : null;
        }
    }

    public IReadOnlyList<InstrumentSummary> GetInstruments(string resource)
    {
        lock (_gate)
        {
            return !_resources.TryGetValue(resource, out var data)
                ? []
                : [.. data.Instruments.Values
                    .Select(i => new InstrumentSummary(resource, i.Meter, i.Name, i.Description, i.Unit, i.Kind, i.Series.Count))
                    .OrderBy(i => i.Meter, StringComparer.Ordinal).ThenBy(i => i.Name, StringComparer.Ordinal)];
        }
    }

    public MetricInstrument? GetInstrument(string resource, string meter, string name)
    {
        lock (_gate)
        {
            if (!_resources.TryGetValue(resource, out var data) || !data.Instruments.TryGetValue((meter, name), out var i))
            {
                return null;
            }
            return new MetricInstrument
            {
                Resource = resource,
                Meter = i.Meter,
                Name = i.Name,
                Description = i.Description,
                Unit = i.Unit,
                Kind = i.Kind,
                IsMonotonic = i.IsMonotonic,
                IsCumulative = i.IsCumulative,
                Series = [.. i.Series.Values.Select(s => new MetricSeries(s.Attributes, [.. s.Points]))],
            };
        }
    }

    /// <summary>Error and critical logs not yet seen on the Structured logs page, per resource (all when null).</summary>
    public int GetUnviewedErrorLogs(string? resource = null)
    {
        lock (_gate)
        {
            return resource is null
                ? _resources.Values.Sum(r => r.ErrorLogs - r.ViewedErrorLogs)
                : _resources.TryGetValue(resource, out var data) ? data.ErrorLogs - data.ViewedErrorLogs : 0;
        }
    }

    public void MarkErrorLogsViewed(string? resource = null)
    {
        lock (_gate)
        {
            IEnumerable<ResourceData> targets = resource is null ? _resources.Values : _resources.TryGetValue(resource, out var one) ? [one] : [];
            foreach (var data in targets)
            {
                data.ViewedErrorLogs = data.ErrorLogs;
            }
        }
        Changed?.Invoke(TelemetryChange.Logs);
    }

    public TelemetryCounts GetCounts()
    {
        lock (_gate)
        {
            return new TelemetryCounts(
                _resources.Values.Sum(r => (long)r.Logs.Count), _resources.Values.Sum(r => (long)r.Spans.Count), _traces.Count,
                _resources.Values.Sum(r => r.MetricPoints), _logsDropped, _spansDropped, _pointsDropped);
        }
    }

    /// <summary>Forgets everything (the pages' "Clear" and the tests).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _resources.Clear();
            _traces.Clear();
        }
        Changed?.Invoke(TelemetryChange.Logs | TelemetryChange.Spans | TelemetryChange.Metrics);
    }

    private static TraceEntry ToEntry(string traceId, TraceData trace)
        => new() { TraceId = traceId, Spans = [.. trace.Spans.OrderBy(s => s.Start).ThenBy(s => s.ParentSpanId is null ? 0 : 1)] };

    private static bool Matches(LogEntry entry, LogQuery query)
        => (query.MinSeverity is null || entry.Severity >= query.MinSeverity)
           && (query.TraceId is null || string.Equals(entry.TraceId, query.TraceId, StringComparison.OrdinalIgnoreCase))
           && (string.IsNullOrWhiteSpace(query.Text)
               || entry.Message.Contains(query.Text.Trim(), StringComparison.OrdinalIgnoreCase)
               || entry.Category.Contains(query.Text.Trim(), StringComparison.OrdinalIgnoreCase)
               || entry.Attributes.Any(a => AttributeMatches(a, query.Text.Trim())));

    private static bool Matches(string traceId, TraceData trace, TraceQuery query)
    {
        if (query.Resource is not null && !trace.Spans.Any(s => s.Source.Resource == query.Resource))
        {
            return false;
        }
        if (query.MinDuration is { } min && trace.Spans.Max(s => s.End) - trace.Start < min)
        {
            return false;
        }
        if (string.IsNullOrWhiteSpace(query.Text))
        {
            return true;
        }
        var text = query.Text.Trim();
        return traceId.Contains(text, StringComparison.OrdinalIgnoreCase)
               || trace.Spans.Any(s => s.Name.Contains(text, StringComparison.OrdinalIgnoreCase)
                                       || s.Attributes.Any(a => AttributeMatches(a, text)));
    }

    private static bool AttributeMatches(KeyValuePair<string, string> attribute, string text)
    {
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        return eq > 0
            ? string.Equals(attribute.Key, text[..eq].Trim(), StringComparison.OrdinalIgnoreCase)
              && attribute.Value.Contains(text[(eq + 1)..].Trim(), StringComparison.OrdinalIgnoreCase)
            : attribute.Key.Contains(text, StringComparison.OrdinalIgnoreCase) || attribute.Value.Contains(text, StringComparison.OrdinalIgnoreCase);
    }
}
