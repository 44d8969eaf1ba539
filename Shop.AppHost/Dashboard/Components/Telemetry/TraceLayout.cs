using Shop.AppHost.Dashboard.Telemetry;

namespace Shop.AppHost.Dashboard.Components.Telemetry;

/// <summary>One row of a trace's waterfall: a span, how deep it sits, and where its bar goes (fractions of the trace).</summary>
public sealed record WaterfallRow(SpanEntry Span, int Depth, int ChildCount, double Offset, double Width);

/// <summary>Lays a trace out as its waterfall: spans in tree order, each child under its parent, siblings by start.</summary>
public static class TraceLayout
{
    /// <summary>
    /// Depth-first from the roots (spans without a parent, or whose parent the store does not hold: not arrived yet,
    /// or dropped), children ordered by start. Offsets and widths are fractions of the trace's duration.
    /// </summary>
    public static IReadOnlyList<WaterfallRow> Build(TraceEntry trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var spans = trace.Spans;
        var ids = spans.Select(s => s.SpanId).ToHashSet(StringComparer.Ordinal);
        var children = spans.Where(s => s.ParentSpanId is { } p && ids.Contains(p) && p != s.SpanId)
            .GroupBy(s => s.ParentSpanId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(s => s.Start).ToList(), StringComparer.Ordinal);
        var roots = spans.Where(s => s.ParentSpanId is not { } p || !ids.Contains(p) || p == s.SpanId).OrderBy(s => s.Start);

        var start = trace.Start;
        var total = trace.Duration;
        var rows = new List<WaterfallRow>(spans.Count);
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<(SpanEntry Span, int Depth)>();
        foreach (var root in roots.Reverse())
        {
            stack.Push((root, 0));
        }
        while (stack.Count > 0)
        {
            var (span, depth) = stack.Pop();
            if (!visited.Add(span.SpanId))
            {
                continue; // a cycle in bad data; show each span once
            }
            var kids = children.GetValueOrDefault(span.SpanId) ?? [];
            rows.Add(new WaterfallRow(span, depth, kids.Count, Fraction(span.Start - start, total), Fraction(span.Duration, total)));
            for (var i = kids.Count - 1; i >= 0; i--)
            {
                stack.Push((kids[i], depth + 1));
            }
        }
        // Spans only reachable through a cycle: still shown, at the top level.
        foreach (var span in spans.Where(s => !visited.Contains(s.SpanId)))
        {
            rows.Add(new WaterfallRow(span, 0, 0, Fraction(span.Start - start, total), Fraction(span.Duration, total)));
        }
        return rows;
    }

    private static double Fraction(TimeSpan part, TimeSpan total) =>
        total <= TimeSpan.Zero ? 0 : Math.Clamp(part / total, 0, 1);
}
