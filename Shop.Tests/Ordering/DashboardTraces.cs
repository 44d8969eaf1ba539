using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace Shop.Tests.Ordering;

/// <summary>A span as the Aspire dashboard's telemetry API returns it (OTLP JSON), flattened to what the tests read.</summary>
public sealed record DashboardSpan(
    string Resource, string Scope, string TraceId, string SpanId, string? ParentSpanId, string Name, int Kind,
    IReadOnlyDictionary<string, string> Attributes, bool IsError, DateTimeOffset Start)
{
    // OTLP's SpanKind numbers.
    public const int Internal = 1, Server = 2, Client = 3, Producer = 4, Consumer = 5;

    public override string ToString() => $"{Resource}:{Name}({Kind})";
}

/// <summary>Reads traces from the Aspire dashboard's telemetry API (<c>/api/telemetry</c>), as an agent or a script would.</summary>
public static class DashboardTraces
{
    public static async Task<IReadOnlyList<DashboardSpan>> TraceAsync(HttpClient api, string traceId, CancellationToken ct)
    {
        using var response = await api.GetAsync($"/api/telemetry/traces/{traceId}", ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }
        response.EnsureSuccessStatusCode();
        return Spans(await response.Content.ReadAsStringAsync(ct));
    }

    /// <summary>The spans of the most recent <paramref name="limit"/> traces that match <paramref name="search"/> (the dashboard's search syntax).</summary>
    public static async Task<IReadOnlyList<DashboardSpan>> RecentTracesAsync(HttpClient api, string? search, int limit, CancellationToken ct)
    {
        var query = $"/api/telemetry/traces?limit={limit}" + (search is null ? "" : $"&search={Uri.EscapeDataString(search)}");
        using var response = await api.GetAsync(query, ct);
        response.EnsureSuccessStatusCode();
        return Spans(await response.Content.ReadAsStringAsync(ct));
    }

    /// <summary>Polls until <paramref name="done"/> holds for what <paramref name="read"/> returns, or fails naming what was last seen.</summary>
    public static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done, Func<T, string> describe, string what, TimeSpan deadline, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var last = await read();
        while (!done(last))
        {
            if (watch.Elapsed > deadline)
            {
                Assert.Fail($"{what} did not arrive within {deadline}; last seen: {describe(last)}");
            }
            await Task.Delay(500, ct);
            last = await read();
        }
        return last;
    }

    public static IReadOnlyList<DashboardSpan> Spans(string json)
    {
        using var document = JsonDocument.Parse(json);
        var spans = new List<DashboardSpan>();
        if (!document.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object
            || !data.TryGetProperty("resourceSpans", out var resourceSpans))
        {
            return spans;
        }
        foreach (var resourceSpan in resourceSpans.EnumerateArray())
        {
            var resourceAttributes = Attributes(resourceSpan.GetProperty("resource"));
            var resource = resourceAttributes.GetValueOrDefault("service.name") ?? "";
            foreach (var scopeSpan in resourceSpan.GetProperty("scopeSpans").EnumerateArray())
            {
                var scope = scopeSpan.TryGetProperty("scope", out var s) && s.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
                foreach (var span in scopeSpan.GetProperty("spans").EnumerateArray())
                {
                    var parent = span.TryGetProperty("parentSpanId", out var p) ? p.GetString() : null;
                    var isError = span.TryGetProperty("status", out var status) && status.TryGetProperty("code", out var code)
                        && (code.ValueKind == JsonValueKind.Number ? code.GetInt32() == 2 : code.GetString() is "STATUS_CODE_ERROR" or "2");
                    var start = span.TryGetProperty("startTimeUnixNano", out var t)
                        ? DateTimeOffset.UnixEpoch.AddTicks((long)(ulong.Parse(t.ValueKind == JsonValueKind.String ? t.GetString()! : t.GetRawText(), global::System.Globalization.CultureInfo.InvariantCulture) / 100))
                        : DateTimeOffset.MinValue;
                    spans.Add(new DashboardSpan(resource, scope, span.GetProperty("traceId").GetString()!, span.GetProperty("spanId").GetString()!,
                        string.IsNullOrEmpty(parent) ? null : parent, span.GetProperty("name").GetString()!, Kind(span), Attributes(span), isError, start));
                }
            }
        }
        return spans;
    }

    private static int Kind(JsonElement span)
    {
        if (!span.TryGetProperty("kind", out var kind))
        {
            return 0;
        }
        return kind.ValueKind == JsonValueKind.Number ? kind.GetInt32() : kind.GetString() switch
        {
            "SPAN_KIND_INTERNAL" => DashboardSpan.Internal,
            "SPAN_KIND_SERVER" => DashboardSpan.Server,
            "SPAN_KIND_CLIENT" => DashboardSpan.Client,
            "SPAN_KIND_PRODUCER" => DashboardSpan.Producer,
            "SPAN_KIND_CONSUMER" => DashboardSpan.Consumer,
            _ => 0,
        };
    }

    private static Dictionary<string, string> Attributes(JsonElement owner)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!owner.TryGetProperty("attributes", out var list))
        {
            return attributes;
        }
        foreach (var attribute in list.EnumerateArray())
        {
            var value = attribute.GetProperty("value");
            attributes[attribute.GetProperty("key").GetString()!] = value.EnumerateObject().FirstOrDefault() is { Value: var v } && v.ValueKind == JsonValueKind.String
                ? v.GetString()!
                : value.EnumerateObject().FirstOrDefault().Value.GetRawText();
        }
        return attributes;
    }
}
