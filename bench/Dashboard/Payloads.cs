using System.Globalization;
using Google.Protobuf;
using Shop.AppHost.Dashboard.Otlp.Proto.Collector.Logs;
using Shop.AppHost.Dashboard.Otlp.Proto.Collector.Metrics;
using Shop.AppHost.Dashboard.Otlp.Proto.Collector.Trace;
using Shop.AppHost.Dashboard.Otlp.Proto.Common;
using OtlpLogs = Shop.AppHost.Dashboard.Otlp.Proto.Logs;
using OtlpMetrics = Shop.AppHost.Dashboard.Otlp.Proto.Metrics;
using Trace = Shop.AppHost.Dashboard.Otlp.Proto.Trace;

/// <summary>Builders of realistic OTLP payloads (shapes like ASP.NET Core, HttpClient, Npgsql spans and ILogger logs).</summary>
internal static class Payloads
{
    public static readonly string[] Services = ["gateway", "identity", "catalog", "inventory", "ordering", "payment", "shipping", "notification"];
    private static readonly string[] Routes = ["/api/v1/products/{id}", "/api/v1/orders", "/api/v1/orders/{id}", "/api/v1/stock/reserve", "/api/v1/payments"];

    public static ulong Nanos(DateTime t) => (ulong)(t - DateTime.UnixEpoch).Ticks * 100;

    public static KeyValue Kv(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    public static KeyValue Kv(string key, long value) => new() { Key = key, Value = new AnyValue { IntValue = value } };

    public static Shop.AppHost.Dashboard.Otlp.Proto.Resource.Resource Resource(string service) => new()
    {
        Attributes =
        {
            Kv("service.name", service), Kv("service.instance.id", $"{service}-bench001"), Kv("telemetry.sdk.name", "opentelemetry"),
            Kv("telemetry.sdk.language", "dotnet"), Kv("telemetry.sdk.version", "1.20.1"),
        },
    };

    // The ids of a service's latest spans: its logs are written inside them (as ILogger logs in a request are).
    private static readonly Dictionary<string, List<(byte[] Trace, byte[] Span)>> RecentSpans = [];

    /// <summary>A batch of spans of one service: traces of 8 spans (a server span and its children).</summary>
    public static ExportTraceServiceRequest Spans(string service, int count, Random random, DateTime now)
    {
        var recent = RecentSpans.TryGetValue(service, out var list) ? list : RecentSpans[service] = [];
        recent.Clear();
        var scope = new Trace.ScopeSpans { Scope = new InstrumentationScope { Name = "Microsoft.AspNetCore" } };
        byte[] traceId = new byte[16], rootId = new byte[8];
        for (var i = 0; i < count; i++)
        {
            var spanId = new byte[8];
            random.NextBytes(spanId);
            if (i % 8 == 0)
            {
                traceId = new byte[16];
                random.NextBytes(traceId);
                rootId = spanId;
            }
            recent.Add((traceId, spanId));
            var route = Routes[random.Next(Routes.Length)];
            var start = now.AddMilliseconds(-random.Next(1, 500));
            var span = new Trace.Span
            {
                TraceId = ByteString.CopyFrom(traceId),
                SpanId = ByteString.CopyFrom(spanId),
                ParentSpanId = i % 8 == 0 ? ByteString.Empty : ByteString.CopyFrom(rootId),
                Name = i % 8 == 0 ? $"GET {route}" : i % 2 == 0 ? "SELECT shop" : $"POST {route}",
                Kind = i % 8 == 0 ? Trace.Span.Types.SpanKind.Server : Trace.Span.Types.SpanKind.Client,
                StartTimeUnixNano = Nanos(start),
                EndTimeUnixNano = Nanos(start.AddMilliseconds(random.Next(1, 200))),
                Attributes =
                {
                    Kv("http.request.method", "GET"), Kv("http.route", route), Kv("url.path", route.Replace("{id}", random.Next(1000).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)),
                    Kv("url.scheme", "http"), Kv("server.address", "localhost"), Kv("server.port", 5000 + random.Next(10)),
                    Kv("network.protocol.version", "1.1"), Kv("http.response.status_code", i % 50 == 0 ? 500 : 200),
                    Kv("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) bench"), Kv("db.system", "postgresql"),
                },
                Status = i % 50 == 0 ? new Trace.Status { Code = Trace.Status.Types.StatusCode.Error } : null,
            };
            if (i % 10 == 0)
            {
                span.Events.Add(new Trace.Span.Types.Event { Name = "message received", TimeUnixNano = Nanos(start), Attributes = { Kv("messaging.system", "rabbitmq") } });
            }
            scope.Spans.Add(span);
        }
        return new ExportTraceServiceRequest { ResourceSpans = { new Trace.ResourceSpans { Resource = Resource(service), ScopeSpans = { scope } } } };
    }

    private static readonly string StackTrace = string.Join('\n', Enumerable.Range(0, 25).Select(i => $"   at Shop.Service.Handler{i}.HandleAsync(Order order, CancellationToken ct) in /src/Services/Handler{i}.cs:line {i * 7}"));

    public static ExportLogsServiceRequest Logs(string service, int count, Random random, DateTime now)
    {
        var scope = new OtlpLogs.ScopeLogs { Scope = new InstrumentationScope { Name = $"Shop.{service}.Handlers" } };
        for (var i = 0; i < count; i++)
        {
            var id = random.Next(100_000);
            (byte[] Trace, byte[] Span)? ids = RecentSpans.TryGetValue(service, out var recent) && recent.Count > 0 ? recent[random.Next(recent.Count)] : null;
            var record = new OtlpLogs.LogRecord
            {
                TimeUnixNano = Nanos(now),
                SeverityNumber = i % 100 == 0 ? OtlpLogs.SeverityNumber.Error : i % 10 == 0 ? OtlpLogs.SeverityNumber.Warn : OtlpLogs.SeverityNumber.Info,
                Body = new AnyValue { StringValue = $"Order {id} moved to state Paid after payment {random.Next()} was captured" },
                Attributes = { Kv("{OriginalFormat}", "Order {OrderId} moved to state {State} after payment {PaymentId} was captured"), Kv("OrderId", id), Kv("State", "Paid"), Kv("PaymentId", random.Next()) },
                TraceId = ByteString.CopyFrom(ids?.Trace ?? RandomBytes(random, 16)),
                SpanId = ByteString.CopyFrom(ids?.Span ?? RandomBytes(random, 8)),
            };
            if (i % 100 == 0)
            {
                record.Attributes.Add(Kv("exception.type", "System.InvalidOperationException"));
                record.Attributes.Add(Kv("exception.stacktrace", StackTrace));
            }
            scope.LogRecords.Add(record);
        }
        return new ExportLogsServiceRequest { ResourceLogs = { new OtlpLogs.ResourceLogs { Resource = Resource(service), ScopeLogs = { scope } } } };
    }

    private static readonly double[] DurationBounds = [0, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    /// <summary>Series per service: 50 instruments with 1 to 4 attribute combinations each (like ASP.NET Core, HttpClient, runtime and Npgsql meters).</summary>
    public const int SeriesPerService = 125;

    /// <summary>
    /// One export of a service's instruments: 20 counters, 20 gauges and 10 histograms (15 bounds), 1 to 4 series each
    /// (125 in all), every value moving on every call: the worst case for the store, which keeps a repeated value once.
    /// </summary>
    public static ExportMetricsServiceRequest Metrics(string service, int tick, DateTime start, DateTime now)
    {
        var scope = new OtlpMetrics.ScopeMetrics { Scope = new InstrumentationScope { Name = "Microsoft.AspNetCore.Hosting" } };
        for (var m = 0; m < 50; m++)
        {
            var metric = new OtlpMetrics.Metric { Name = $"bench.instrument.{m}", Unit = m < 40 ? "{request}" : "s", Description = $"Instrument {m}" };
            for (var s = 0; s < 1 + m % 4; s++)
            {
                var attributes = new[] { Kv("http.route", Routes[s]), Kv("http.response.status_code", 200) };
                if (m < 20)
                {
                    metric.Sum ??= new OtlpMetrics.Sum { IsMonotonic = true, AggregationTemporality = OtlpMetrics.AggregationTemporality.Cumulative };
                    metric.Sum.DataPoints.Add(new OtlpMetrics.NumberDataPoint { StartTimeUnixNano = Nanos(start), TimeUnixNano = Nanos(now), AsInt = tick * (s + 1), Attributes = { attributes } });
                }
                else if (m < 40)
                {
                    metric.Gauge ??= new OtlpMetrics.Gauge();
                    metric.Gauge.DataPoints.Add(new OtlpMetrics.NumberDataPoint { TimeUnixNano = Nanos(now), AsDouble = tick % 97 + s, Attributes = { attributes } });
                }
                else
                {
                    metric.Histogram ??= new OtlpMetrics.Histogram { AggregationTemporality = OtlpMetrics.AggregationTemporality.Cumulative };
                    var point = new OtlpMetrics.HistogramDataPoint
                    {
                        StartTimeUnixNano = Nanos(start), TimeUnixNano = Nanos(now), Count = (ulong)(tick * 16), Sum = tick * 0.5, Min = 0.001, Max = 2,
                        Attributes = { attributes },
                    };
                    point.ExplicitBounds.Add(DurationBounds);
                    point.BucketCounts.Add(Enumerable.Repeat((ulong)tick, DurationBounds.Length + 1));
                    metric.Histogram.DataPoints.Add(point);
                }
            }
            scope.Metrics.Add(metric);
        }
        return new ExportMetricsServiceRequest { ResourceMetrics = { new OtlpMetrics.ResourceMetrics { Resource = Resource(service), ScopeMetrics = { scope } } } };
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
