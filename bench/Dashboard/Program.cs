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
//        throughput or memory against a running AppHost instead: ... throughput|memory --otlp http://localhost:18889 --key KEY
//        [--pid APPHOST_PID] (the key is the services' OTEL_EXPORTER_OTLP_HEADERS value after "x-otlp-api-key="; the store
//        is not visible then, and memory is the AppHost's VmRSS, its process found by name unless --pid is given)
using System.Globalization;

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
    await Memory.RunAsync(TimeSpan.FromMinutes(minutes), remote, remoteKey, Option("--pid") is { } pid ? int.Parse(pid, CultureInfo.InvariantCulture) : null);
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
