using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Shop.AppHost.Dashboard.Otlp;
using Shop.AppHost.Dashboard.Telemetry;

internal static class Memory
{
    // The steady load, per service: 50 spans/s and 50 logs/s (a busy service in development), and a metrics export every
    // second (OTEL_METRIC_EXPORT_INTERVAL=1000) of 50 instruments, 125 series whose values all move.
    private const int SpansPerTick = 5, LogsPerTick = 5, TicksPerSecond = 10;

    /// <summary>
    /// Fills the store to every limit, then holds a steady load for <paramref name="duration"/>, printing VmRSS every 30 s.
    /// With <paramref name="remoteUrl"/> the receiver is a running AppHost's (its process found by <paramref name="remotePid"/>
    /// or by name); its store is not visible from here, so the fill sends more than every limit holds.
    /// </summary>
    public static async Task RunAsync(TimeSpan duration, string? remoteUrl, string? remoteKey, int? remotePid)
    {
        Console.WriteLine();
        Console.WriteLine($"== memory: logs + spans + metrics from {Payloads.Services.Length} services, store filled to its limits, then {duration.TotalMinutes:0.#} min steady ==");
        await using var local = remoteUrl is null ? await InProcessDashboard.StartAsync(new TelemetryLimits()) : null;
        var pid = local is null ? remotePid ?? FindAppHost() : Environment.ProcessId;
        var key = remoteKey ?? InProcessDashboard.ApiKey;
        Console.WriteLine(local is null ? $"remote receiver {remoteUrl}, AppHost process {pid}" : "in-process dashboard");
        using var channel = GrpcChannel.ForAddress(remoteUrl ?? local!.GrpcUrl, new GrpcChannelOptions { MaxSendMessageSize = OtlpEndpoints.MaxMessageBytes });
        var invoker = channel.CreateCallInvoker();
        var limits = local?.Telemetry.Limits ?? new TelemetryLimits(); // a running AppHost: its defaults
        var services = Payloads.Services.Length;
        Console.WriteLine($"limits: {limits.MaxSpansPerResource:N0} spans and {limits.MaxLogsPerResource:N0} logs per service, {limits.MaxPointsPerSeries} points per series ({Payloads.SeriesPerService} series per service)");
        Console.WriteLine($"steady rate: {services * SpansPerTick * TicksPerSecond:N0} spans/s, {services * LogsPerTick * TicksPerSecond:N0} logs/s, {services * Payloads.SeriesPerService:N0} metric points/s");
        Console.WriteLine($"idle: VmRSS {Rss(pid):F0} MB");
        var random = new Random(7);
        var started = DateTime.UtcNow;
        var metricTick = 0;
        long failures = 0;

        // Fill: as fast as the receiver takes it, until every service holds its maximum of spans, logs and points
        // (remote: 20 % more rounds than the limits need, since the store cannot be asked).
        const int PerRound = 100;
        var roundsNeeded = (int)(1.2 * Math.Max(Math.Max(limits.MaxSpansPerResource, limits.MaxLogsPerResource) / PerRound, limits.MaxPointsPerSeries));
        var fill = Stopwatch.StartNew();
        while (true)
        {
            var full = local is null
                ? metricTick >= roundsNeeded
                : local.Telemetry.GetCounts() is var c && c.Spans >= (long)limits.MaxSpansPerResource * services && c.Logs >= (long)limits.MaxLogsPerResource * services && metricTick >= limits.MaxPointsPerSeries;
            if (full)
            {
                break;
            }
            metricTick++;
            failures += await SendAsync(invoker, key, random, DateTime.UtcNow, PerRound, PerRound, metrics: true, metricTick, started);
        }
        Console.WriteLine($"filled in {fill.Elapsed.TotalSeconds:F0} s ({metricTick} rounds)");
        Console.WriteLine($"{"t",6}  {"VmRSS",9}  {"GC heap",9}  {"GC commit",9}  {"spans",8}  {"logs",8}  {"points",9}  dropped spans/logs/points");
        var samples = new List<double>();
        Report(TimeSpan.Zero, pid, local?.Telemetry, samples);

        var watch = Stopwatch.StartNew();
        var nextReport = TimeSpan.FromSeconds(30);
        var tick = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / TicksPerSecond));
        while (watch.Elapsed < duration && await timer.WaitForNextTickAsync())
        {
            var metrics = ++tick % TicksPerSecond == 0;
            failures += await SendAsync(invoker, key, random, DateTime.UtcNow, SpansPerTick, LogsPerTick, metrics, metrics ? ++metricTick : metricTick, started);
            if (watch.Elapsed >= nextReport)
            {
                Report(watch.Elapsed, pid, local?.Telemetry, samples);
                nextReport += TimeSpan.FromSeconds(30);
            }
        }
        Report(watch.Elapsed, pid, local?.Telemetry, samples);
        var end = Rss(pid);
        if (local is not null)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            Console.WriteLine($"after a full GC: VmRSS {Rss(pid):F0} MB, GC heap {GC.GetTotalMemory(false) / 1048576.0:F0} MB");
        }
        Console.WriteLine($"failed export rounds: {failures}; VmRSS over the steady part: min {samples.Min():F0}, max {samples.Max():F0} MB");
        Console.WriteLine($"MEMORY end VmRSS {end:F0} MB, peak {PeakRss(pid):F0} MB (fill included) (target < 300 MB)");
    }

    /// <summary>The running AppHost: the one process whose command line names Shop.AppHost (not `dotnet run` itself).</summary>
    private static int FindAppHost()
    {
        var found = Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var p) ? p : 0)
            .Where(p => p > 0 && p != Environment.ProcessId)
            .Select(p => (Pid: p, Command: ReadCommandLine(p)))
            .Where(x => x.Command.Contains("Shop.AppHost", StringComparison.Ordinal) && !x.Command.Contains(" run ", StringComparison.Ordinal))
            .ToList();
        return found.Count == 1
            ? found[0].Pid
            : throw new InvalidOperationException($"expected one Shop.AppHost process, found {found.Count}: pass --pid");
    }

    private static string ReadCommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
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
            await SendAsync(invoker, InProcessDashboard.ApiKey, random, started, 1, 1, metrics: true, 1, started); // warm-up
            dashboard.Telemetry.Clear();
            var before = GC.GetTotalMemory(forceFullCollection: true);
            for (var tick = 1; tick <= limits.MaxPointsPerSeries + 10; tick++)
            {
                var n = kind == "metrics" ? 0 : 1000 / Payloads.Services.Length * 10;
                if (kind != "metrics" && tick > 10)
                {
                    break;
                }
                await SendAsync(invoker, InProcessDashboard.ApiKey, random, started, kind == "spans" ? n : 0, kind == "logs" ? n : 0, kind == "metrics", tick, started);
            }
            var after = GC.GetTotalMemory(forceFullCollection: true);
            var c = dashboard.Telemetry.GetCounts();
            var items = kind switch { "spans" => c.Spans, "logs" => c.Logs, _ => c.MetricPoints };
            Console.WriteLine($"{kind,-8} {items,9:N0} held: {(after - before) / 1048576.0,6:F1} MB, {(after - before) / (double)items,5:F0} B each");
        }
    }

    /// <summary>One round: a span, a log and (maybe) a metrics export per service, concurrently as services would.</summary>
    private static async Task<int> SendAsync(CallInvoker invoker, string key, Random random, DateTime now, int spans, int logs, bool metrics, int metricTick, DateTime started)
    {
        var calls = new List<Task<byte[]>>();
        foreach (var service in Payloads.Services)
        {
            if (spans > 0)
            {
                calls.Add(Otlp.CallAsync(invoker, Otlp.TraceExport, Payloads.Spans(service, spans, random, now).ToByteArray(), key));
            }
            if (logs > 0)
            {
                calls.Add(Otlp.CallAsync(invoker, Otlp.LogsExport, Payloads.Logs(service, logs, random, now).ToByteArray(), key));
            }
            if (metrics)
            {
                calls.Add(Otlp.CallAsync(invoker, Otlp.MetricsExport, Payloads.Metrics(service, metricTick, started, started.AddSeconds(metricTick)).ToByteArray(), key));
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

    private static void Report(TimeSpan elapsed, int pid, TelemetryRepository? telemetry, List<double> samples)
    {
        var rss = Rss(pid);
        samples.Add(rss);
        if (telemetry is null)
        {
            Console.WriteLine($"{elapsed.TotalSeconds,5:F0}s  {rss,6:F0} MB  (remote: heap and store not visible)");
            return;
        }
        var c = telemetry.GetCounts();
        var gc = GC.GetGCMemoryInfo();
        Console.WriteLine($"{elapsed.TotalSeconds,5:F0}s  {rss,6:F0} MB  {GC.GetTotalMemory(false) / 1048576.0,6:F0} MB  {gc.TotalCommittedBytes / 1048576.0,6:F0} MB  {c.Spans,8:N0}  {c.Logs,8:N0}  {c.MetricPoints,9:N0}  {c.SpansDropped:N0}/{c.LogsDropped:N0}/{c.PointsDropped:N0}");
    }

    public static double Rss(int pid) => StatusField(pid, "VmRSS:");

    public static double PeakRss(int pid) => StatusField(pid, "VmHWM:");

    private static double StatusField(int pid, string name)
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal));
        return line is null ? double.NaN : long.Parse(line[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
    }
}
