using System.Diagnostics;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Shop.AppHost.Dashboard.Otlp;
using Shop.AppHost.Dashboard.Otlp.Proto.Collector.Trace;
using Shop.AppHost.Dashboard.Telemetry;

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
