using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Shop.AppHost.Dashboard.Otlp;
using Shop.AppHost.Dashboard.Telemetry;

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
