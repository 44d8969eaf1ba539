// bench/dashboard: the dashboard's OTLP receiver and telemetry store, hosted in this process (as in the AppHost).
//   throughput: one client sends pre-encoded batches of 512 spans over OTLP/gRPC back to back: spans/s accepted, with
//               nothing rejected and nothing lost but what the per-resource limits evict (target >= 20,000 spans/s).
//   memory:     logs + spans + metrics from 8 simulated services: first the store is filled to every limit as fast as
//               it takes it, then a steady realistic load for --minutes (default 1; 10 for the full check); VmRSS of
//               this process every 30 s and at the end (target < 300 MB).
//   delay:      spans made with the OpenTelemetry SDK, exported by its BatchExportProcessor (1 s schedule delay, as
//               the AppHost sets OTEL_BSP_SCHEDULE_DELAY in Development) over OTLP/gRPC: span end → queryable in the
//               store (the pages' data source), p50/p95/max (target <= 2 s).
// Usage: dotnet run -c Release --project bench/Dashboard [all|throughput|memory|delay] [--minutes 1] [--seconds 10]
//        throughput against a running AppHost instead: ... throughput --otlp http://localhost:18889 --key KEY
//        (the key is the services' OTEL_EXPORTER_OTLP_HEADERS value after "x-otlp-api-key="; the store is not visible then)
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Shop.AppHost.Dashboard;
using Shop.AppHost.Dashboard.Otlp;
using Shop.AppHost.Dashboard.Otlp.Proto.Collector.Logs;
using Shop.AppHost.Dashboard.Otlp.Proto.Collector.Metrics;
using Shop.AppHost.Dashboard.Otlp.Proto.Collector.Trace;
using Shop.AppHost.Dashboard.Otlp.Proto.Common;
using Shop.AppHost.Dashboard.Telemetry;
using OtlpLogs = Shop.AppHost.Dashboard.Otlp.Proto.Logs;
using OtlpMetrics = Shop.AppHost.Dashboard.Otlp.Proto.Metrics;
using Trace = Shop.AppHost.Dashboard.Otlp.Proto.Trace;

// The dashboard is part of the AppHost, which runs on Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

var mode = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal) && !IsOptionValue(a)) ?? "all";
var minutes = double.Parse(Option("--minutes") ?? "1", CultureInfo.InvariantCulture);
var seconds = int.Parse(Option("--seconds") ?? "10", CultureInfo.InvariantCulture);
var remote = Option("--otlp");
var remoteKey = Option("--key");
Console.WriteLine($"dashboard bench: {mode} ({Environment.ProcessorCount} cores, server GC {System.Runtime.GCSettings.IsServerGC})");

if (mode is "all" or "throughput")
{
    await Throughput.RunAsync(seconds, remote, remoteKey);
}
if (mode is "all" or "delay")
{
    await Delay.RunAsync(seconds: Math.Max(20, seconds * 2));
}
if (mode is "breakdown")
{
    await Memory.BreakdownAsync();
}
if (mode is "all" or "memory")
{
    await Memory.RunAsync(TimeSpan.FromMinutes(minutes));
}
return 0;

string? Option(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

bool IsOptionValue(string arg)
{
    var i = Array.IndexOf(args, arg);
    return i > 0 && args[i - 1].StartsWith("--", StringComparison.Ordinal);
}

/// <summary>A dashboard on free ports in this process, with its own store.</summary>
internal sealed class InProcessDashboard : IAsyncDisposable
{
    public const string ApiKey = "bench-otlp-api-key";
    private readonly WebApplication _app;

    private InProcessDashboard(WebApplication app, TelemetryRepository telemetry)
    {
        _app = app;
        Telemetry = telemetry;
    }

    public TelemetryRepository Telemetry { get; }
    public string GrpcUrl => DashboardHost.GetOtlpGrpcUrl(_app)!;

    public static async Task<InProcessDashboard> StartAsync(TelemetryLimits limits)
    {
        var telemetry = new TelemetryRepository(limits);
        // The command service only serves the Resources page's buttons; nothing here runs resources.
        var commands = (ResourceCommandService)typeof(ResourceCommandService)
            .GetConstructors(BindingFlags.Instance | BindingFlags.NonPublic).Single().Invoke([null]);
        var app = DashboardHost.Create(new DashboardOptions
        {
            Url = "http://127.0.0.1:0",
            BrowserToken = "bench",
            OtlpGrpcUrl = "http://127.0.0.1:0",
            OtlpHttpUrl = "http://127.0.0.1:0",
            OtlpApiKey = ApiKey,
        }, new ResourceNotificationService(), new ResourceLoggerService(), commands, telemetry);
        await app.StartAsync();
        return new InProcessDashboard(app, telemetry);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

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

/// <summary>gRPC calls with pre-encoded bodies (the client's encoding stays out of the measurement) or messages.</summary>
internal static class Otlp
{
    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(b => b, b => b);

    public static readonly Method<byte[], byte[]> TraceExport = new(MethodType.Unary, "opentelemetry.proto.collector.trace.v1.TraceService", "Export", Raw, Raw);
    public static readonly Method<byte[], byte[]> LogsExport = new(MethodType.Unary, "opentelemetry.proto.collector.logs.v1.LogsService", "Export", Raw, Raw);
    public static readonly Method<byte[], byte[]> MetricsExport = new(MethodType.Unary, "opentelemetry.proto.collector.metrics.v1.MetricsService", "Export", Raw, Raw);

    public static async Task<byte[]> CallAsync(CallInvoker invoker, Method<byte[], byte[]> method, byte[] body, string key)
        => await invoker.AsyncUnaryCall(method, null, new CallOptions(new Metadata { { OtlpEndpoints.ApiKeyHeader, key } }), body).ResponseAsync.ConfigureAwait(false);
}

internal static class Throughput
{
    public const int BatchSize = 512;

    public static async Task RunAsync(int seconds, string? remoteUrl, string? remoteKey)
    {
        Console.WriteLine();
        Console.WriteLine($"== throughput: one client, batches of {BatchSize} spans over OTLP/gRPC, {seconds} s ==");
        await using var local = remoteUrl is null ? await InProcessDashboard.StartAsync(new TelemetryLimits()) : null;
        var url = remoteUrl ?? local!.GrpcUrl;
        var key = remoteKey ?? InProcessDashboard.ApiKey;
        Console.WriteLine(remoteUrl is null ? $"in-process dashboard, OTLP/gRPC {url}" : $"remote receiver {url}");

        // Encoded up front, each span unique (the store would merge repeats): enough for twice the target rate.
        var random = new Random(42);
        var now = DateTime.UtcNow;
        var batchCount = Math.Max(100, 2 * 20_000 * seconds / BatchSize);
        var batches = Enumerable.Range(0, batchCount)
            .Select(i => Payloads.Spans(Payloads.Services[i % Payloads.Services.Length], BatchSize, random, now).ToByteArray()).ToArray();
        Console.WriteLine($"{batchCount} batches encoded, {batches.Average(b => b.Length) / 1024:F0} KiB each");

        using var channel = GrpcChannel.ForAddress(url, new GrpcChannelOptions { MaxSendMessageSize = OtlpEndpoints.MaxMessageBytes });
        var invoker = channel.CreateCallInvoker();
        for (var i = 0; i < 20; i++)
        {
            await Otlp.CallAsync(invoker, Otlp.TraceExport, batches[i], key); // warm-up: JIT, connection
        }
        local?.Telemetry.Clear();

        long sent = 0, rejected = 0;
        var next = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            var response = ExportTraceServiceResponse.Parser.ParseFrom(await Otlp.CallAsync(invoker, Otlp.TraceExport, batches[next++ % batches.Length], key));
            sent += BatchSize;
            rejected += response.PartialSuccess?.RejectedSpans ?? 0;
            if (next == batches.Length)
            {
                break; // never send a batch twice
            }
        }
        watch.Stop();
        var rate = (sent - rejected) / watch.Elapsed.TotalSeconds;
        Console.WriteLine($"sent {sent:N0} spans in {watch.Elapsed.TotalSeconds:F1} s ({next} calls, {watch.Elapsed.TotalMilliseconds / next:F2} ms per call)");
        Console.WriteLine($"accepted {sent - rejected:N0}, rejected {rejected:N0}");
        if (local is not null)
        {
            var c = local.Telemetry.GetCounts();
            var limit = (long)local.Telemetry.Limits.MaxSpansPerResource * local.Telemetry.Resources.Count;
            Console.WriteLine($"store: {c.Spans:N0} spans held (limit {limit:N0}), {c.SpansDropped:N0} evicted by the limit; held + evicted = {c.Spans + c.SpansDropped:N0} (lost: {sent - c.Spans - c.SpansDropped:N0})");
        }
        Console.WriteLine($"THROUGHPUT {rate:N0} spans/s accepted (target >= 20,000)");
    }
}

internal static class Memory
{
    // The steady load, per service: 50 spans/s and 50 logs/s (a busy service in development), and a metrics export every
    // second (OTEL_METRIC_EXPORT_INTERVAL=1000) of 50 instruments, 125 series whose values all move.
    private const int SpansPerTick = 5, LogsPerTick = 5, TicksPerSecond = 10;

    public static async Task RunAsync(TimeSpan duration)
    {
        Console.WriteLine();
        Console.WriteLine($"== memory: logs + spans + metrics from {Payloads.Services.Length} services, store filled to its limits, then {duration.TotalMinutes:0.#} min steady ==");
        await using var dashboard = await InProcessDashboard.StartAsync(new TelemetryLimits());
        using var channel = GrpcChannel.ForAddress(dashboard.GrpcUrl);
        var invoker = channel.CreateCallInvoker();
        var limits = dashboard.Telemetry.Limits;
        var services = Payloads.Services.Length;
        Console.WriteLine($"limits: {limits.MaxSpansPerResource:N0} spans and {limits.MaxLogsPerResource:N0} logs per service, {limits.MaxPointsPerSeries} points per series ({Payloads.SeriesPerService} series per service)");
        Console.WriteLine($"steady rate: {services * SpansPerTick * TicksPerSecond:N0} spans/s, {services * LogsPerTick * TicksPerSecond:N0} logs/s, {services * Payloads.SeriesPerService:N0} metric points/s");
        Console.WriteLine($"idle: VmRSS {Rss():F0} MB");
        var random = new Random(7);
        var started = DateTime.UtcNow;
        var metricTick = 0;
        long failures = 0;

        // Fill: as fast as the receiver takes it, until every service holds its maximum of spans, logs and points.
        var fill = Stopwatch.StartNew();
        while (true)
        {
            var c = dashboard.Telemetry.GetCounts();
            var full = c.Spans >= (long)limits.MaxSpansPerResource * services && c.Logs >= (long)limits.MaxLogsPerResource * services && metricTick >= limits.MaxPointsPerSeries;
            if (full)
            {
                break;
            }
            metricTick++;
            failures += await SendAsync(invoker, random, DateTime.UtcNow, 100, 100, metrics: true, metricTick, started);
        }
        Console.WriteLine($"filled in {fill.Elapsed.TotalSeconds:F0} s");
        Console.WriteLine($"{"t",6}  {"VmRSS",9}  {"GC heap",9}  {"GC commit",9}  {"spans",8}  {"logs",8}  {"points",9}  dropped spans/logs/points");
        Report(TimeSpan.Zero, dashboard.Telemetry);

        var watch = Stopwatch.StartNew();
        var nextReport = TimeSpan.FromSeconds(30);
        var tick = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / TicksPerSecond));
        while (watch.Elapsed < duration && await timer.WaitForNextTickAsync())
        {
            var metrics = ++tick % TicksPerSecond == 0;
            failures += await SendAsync(invoker, random, DateTime.UtcNow, SpansPerTick, LogsPerTick, metrics, metrics ? ++metricTick : metricTick, started);
            if (watch.Elapsed >= nextReport)
            {
                Report(watch.Elapsed, dashboard.Telemetry);
                nextReport += TimeSpan.FromSeconds(30);
            }
        }
        Report(watch.Elapsed, dashboard.Telemetry);
        var end = Rss();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Console.WriteLine($"after a full GC: VmRSS {Rss():F0} MB, GC heap {GC.GetTotalMemory(false) / 1048576.0:F0} MB; failed export rounds: {failures}");
        Console.WriteLine($"MEMORY end VmRSS {end:F0} MB, peak {PeakRss():F0} MB (fill included) (target < 300 MB)");
    }

    /// <summary>What the store holds at its limits, per kind of telemetry: the live heap it adds, in a fresh store each.</summary>
    public static async Task BreakdownAsync()
    {
        Console.WriteLine();
        Console.WriteLine("== memory breakdown: live heap of a store filled to its limits (8 services), per kind ==");
        foreach (var kind in new[] { "spans", "logs", "metrics" })
        {
            await using var dashboard = await InProcessDashboard.StartAsync(new TelemetryLimits());
            using var channel = GrpcChannel.ForAddress(dashboard.GrpcUrl);
            var invoker = channel.CreateCallInvoker();
            var random = new Random(7);
            var started = DateTime.UtcNow;
            var limits = dashboard.Telemetry.Limits;
            await SendAsync(invoker, random, started, 1, 1, metrics: true, 1, started); // warm-up
            dashboard.Telemetry.Clear();
            var before = GC.GetTotalMemory(forceFullCollection: true);
            for (var tick = 1; tick <= limits.MaxPointsPerSeries + 10; tick++)
            {
                var n = kind == "metrics" ? 0 : 1000 / Payloads.Services.Length * 10;
                if (kind != "metrics" && tick > 10)
                {
                    break;
                }
                await SendAsync(invoker, random, started, kind == "spans" ? n : 0, kind == "logs" ? n : 0, kind == "metrics", tick, started);
            }
            var after = GC.GetTotalMemory(forceFullCollection: true);
            var c = dashboard.Telemetry.GetCounts();
            var items = kind switch { "spans" => c.Spans, "logs" => c.Logs, _ => c.MetricPoints };
            Console.WriteLine($"{kind,-8} {items,9:N0} held: {(after - before) / 1048576.0,6:F1} MB, {(after - before) / (double)items,5:F0} B each");
        }
    }

    /// <summary>One round: a span, a log and (maybe) a metrics export per service, concurrently as services would.</summary>
    private static async Task<int> SendAsync(CallInvoker invoker, Random random, DateTime now, int spans, int logs, bool metrics, int metricTick, DateTime started)
    {
        var calls = new List<Task<byte[]>>();
        foreach (var service in Payloads.Services)
        {
            if (spans > 0)
            {
                calls.Add(Otlp.CallAsync(invoker, Otlp.TraceExport, Payloads.Spans(service, spans, random, now).ToByteArray(), InProcessDashboard.ApiKey));
            }
            if (logs > 0)
            {
                calls.Add(Otlp.CallAsync(invoker, Otlp.LogsExport, Payloads.Logs(service, logs, random, now).ToByteArray(), InProcessDashboard.ApiKey));
            }
            if (metrics)
            {
                calls.Add(Otlp.CallAsync(invoker, Otlp.MetricsExport, Payloads.Metrics(service, metricTick, started, started.AddSeconds(metricTick)).ToByteArray(), InProcessDashboard.ApiKey));
            }
        }
        try
        {
            await Task.WhenAll(calls);
            return 0;
        }
        catch (RpcException)
        {
            return 1;
        }
    }

    private static void Report(TimeSpan elapsed, TelemetryRepository telemetry)
    {
        var c = telemetry.GetCounts();
        var gc = GC.GetGCMemoryInfo();
        Console.WriteLine($"{elapsed.TotalSeconds,5:F0}s  {Rss(),6:F0} MB  {GC.GetTotalMemory(false) / 1048576.0,6:F0} MB  {gc.TotalCommittedBytes / 1048576.0,6:F0} MB  {c.Spans,8:N0}  {c.Logs,8:N0}  {c.MetricPoints,9:N0}  {c.SpansDropped:N0}/{c.LogsDropped:N0}/{c.PointsDropped:N0}");
    }

    public static double Rss() => StatusField("VmRSS:");

    public static double PeakRss() => StatusField("VmHWM:");

    private static double StatusField(string name)
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal));
        return line is null ? double.NaN : long.Parse(line[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
    }
}

internal static class Delay
{
    public static async Task RunAsync(int seconds)
    {
        Console.WriteLine();
        Console.WriteLine($"== delay: OpenTelemetry SDK, BatchExportProcessor with a 1 s schedule delay, OTLP/gRPC, {seconds} s ==");
        await using var dashboard = await InProcessDashboard.StartAsync(new TelemetryLimits());
        var sourceName = "Shop.Bench.Dashboard";
        using var source = new ActivitySource(sourceName);
        using var provider = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("bench-client", serviceInstanceId: "bench-client-1"))
            .AddSource(sourceName)
            .AddOtlpExporter(o =>
            {
                o.Endpoint = new Uri(dashboard.GrpcUrl);
                o.Protocol = OtlpExportProtocol.Grpc;
                o.Headers = $"{OtlpEndpoints.ApiKeyHeader}={InProcessDashboard.ApiKey}";
                o.ExportProcessorType = ExportProcessorType.Batch;
                o.BatchExportProcessorOptions = new BatchExportActivityProcessorOptions { ScheduledDelayMilliseconds = 1000 };
            })
            .Build();

        // Each span's end time, by trace id; the store's change event marks when it became queryable.
        var pending = new Dictionary<string, long>();
        var delays = new List<double>();
        var gate = new Lock();
        dashboard.Telemetry.Changed += change =>
        {
            if ((change & TelemetryChange.Spans) == 0)
            {
                return;
            }
            var seen = Stopwatch.GetTimestamp();
            lock (gate)
            {
                foreach (var (traceId, ended) in pending.ToList())
                {
                    if (dashboard.Telemetry.GetTrace(traceId) is not null)
                    {
                        delays.Add(Stopwatch.GetElapsedTime(ended, seen).TotalMilliseconds);
                        pending.Remove(traceId);
                    }
                }
            }
        };

        var random = new Random(3);
        var watch = Stopwatch.StartNew();
        var made = 0;
        while (watch.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            using (var activity = source.StartActivity("bench operation", ActivityKind.Server))
            {
                activity?.SetTag("bench.index", made);
                activity?.Stop();
                lock (gate)
                {
                    pending[activity!.TraceId.ToHexString()] = Stopwatch.GetTimestamp();
                }
            }
            made++;
            await Task.Delay(random.Next(20, 250)); // spans end at random points of the export cycle
        }
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            lock (gate)
            {
                if (pending.Count == 0)
                {
                    break;
                }
            }
            await Task.Delay(50);
        }
        List<double> sorted;
        int missing;
        lock (gate)
        {
            sorted = [.. delays.Order()];
            missing = pending.Count;
        }
        double P(double q) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))];
        Console.WriteLine($"{made} spans, {sorted.Count} seen in the store, {missing} never seen");
        Console.WriteLine($"DELAY span end -> queryable: p50 {P(0.5):F0} ms, p95 {P(0.95):F0} ms, max {(sorted.Count == 0 ? double.NaN : sorted[^1]):F0} ms (target <= 2000 ms)");
    }
}
