// bench/orders: orders placed through the gateway and carried by the saga to Completed, with full durability
// (outbox, inbox, fsync on). Two phases in one run:
//   idle:  one customer, one order at a time: placement → Completed latency (server timestamps: createdAt→completedAt)
//          and the POST's own latency as the client sees it;
//   load:  N customers place orders back to back for T seconds: completed orders per second, p50/p95/p99 of
//          placement → Completed and of the POST itself; then the CPU each process used per order (and at rest,
//          before the idle phase) and the memory of every process, at idle after the idle orders and after the load
//          (each time once the processes have had 31 s to settle).
// Usage: dotnet run -c Release --project bench/Orders [customers=16] [seconds=20] [idleOrders=50] [rate=0]
//   rate: orders offered per second in the load phase, spread over the customers (0: each customer places back to back,
//   as fast as the POST answers). Orders pick one of 16 products at random (one hot product would measure that row's
//   lock, not the system).
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Shop.Bench.Startup;
using static Shop.Bench.Startup.ShopClient;

var customers = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 16;
var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
var idleOrders = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 50;
var rate = args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 0;
var settleTime = TimeSpan.FromSeconds(31);
var adminPassword = $"bench-admin-{Guid.NewGuid():N}";
var state = Path.Combine("/var/tmp", $"shop-bench-{Guid.NewGuid():N}"[..20]);
try
{
    await using var app = await AppHostProcess.StartAsync(AppHostProcess.Locate(), state, new Dictionary<string, string>
    {
        // The benchmark's customers must not be what is limited; the limiter still runs on every request.
        ["Services__gateway__RateLimiting__UserPermitLimit"] = "100000000",
        ["Services__gateway__RateLimiting__AnonymousPermitLimit"] = "100000000",
        ["Parameters__admin-password"] = adminPassword,
    });
    await app.WaitUntilHealthyAsync(TimeSpan.FromMinutes(5));
    var gateway = new Uri(app.Endpoint("gateway"));
    Console.WriteLine($"gateway {gateway}  ({Environment.ProcessorCount} cores); {customers} customers for {seconds} s, " +
                      (rate > 0 ? $"offering {rate:0} orders/s" : "each placing back to back"));

    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = gateway };
    var admin = await LoginAsync(http, "admin@shop.local", adminPassword);
    var products = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => CreateProductAsync(http, admin)));
    var product = products[0];
    var tokens = await Task.WhenAll(Enumerable.Range(0, customers).Select(_ => NewCustomerAsync(http)));

    // Warm-up, discarded: every path 96 times or more, so that the hot methods have passed the JIT's call-count
    // threshold (30) and run fully optimised code; with a shorter warm-up the idle phase measures tier-0 code.
    var warmUpRounds = (96 + customers - 1) / customers;
    for (var round = 0; round < warmUpRounds; round++)
    {
        await Task.WhenAll(tokens.Select(async t => await WaitTerminalAsync(http, t, await PlaceAsync(http, t, product)).ConfigureAwait(false)));
    }
    // The warm-up's tail settles first: the events after Completed (read model, notification, inventory), the outbox's
    // clean-up and the JIT's background compilation of what the warm-up made hot. Measured 2 s after the warm-up, the
    // rest figure below was 80-162 ms/s for ordering alone; sampled every 2-3 s, ordering was back at 10-95 ms/s a few
    // seconds later.
    await Task.Delay(TimeSpan.FromSeconds(10));

    // What the system burns with nothing to do: health checks, durability agents' polls, telemetry export.
    var restFrom = CpuReport.Take(app.ProcessId);
    await Task.Delay(TimeSpan.FromSeconds(10));
    CpuReport.Take(app.ProcessId).PrintSince(restFrom, "rest  (nothing placed)", 10, "second");

    // Phase 1: idle latency, one order at a time.
    var idle = new List<double>();
    var idlePosts = new List<double>();
    for (var i = 0; i < idleOrders; i++)
    {
        var (id, post) = await PlaceAsync(http, tokens[0], product);
        idlePosts.Add(post.TotalMilliseconds);
        // Polled gently: the figure comes from the server's timestamps, and fast polling would load the machine it measures.
        var order = await WaitTerminalAsync(http, tokens[0], (id, TimeSpan.Zero), pollMs: 100);
        idle.Add(SagaMs(order));
    }
    Console.WriteLine($"idle  placement→Completed: p50 {P(idle, 50):F1} ms  p99 {P(idle, 99):F1} ms  (n={idle.Count}; server timestamps)");
    Console.WriteLine($"idle  POST /api/v1/orders:  p50 {P(idlePosts, 50):F1} ms  p99 {P(idlePosts, 99):F1} ms  (client side, through the gateway)");

    // Memory at idle, once the services' native-memory trim (every 30 s) and the pools' idle timeout (30 s) have run.
    await Task.Delay(settleTime);
    MemoryReport.Print(app.ProcessId, $"idle memory, warmed up, {settleTime.TotalSeconds:F0} s after the idle orders");

    // Phase 2: sustained load.
    var placed = new ConcurrentBag<(Guid Id, string Token, TimeSpan Post)>();
    var loadFrom = CpuReport.Take(app.ProcessId);
    var stop = Stopwatch.StartNew();
    long slots = 0;
    await Task.WhenAll(tokens.Select(token => Task.Run(async () =>
    {
        while (stop.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            if (rate > 0)
            {
                // An open schedule: order n is due at n / rate seconds, whoever is free takes it.
                var due = TimeSpan.FromSeconds(Interlocked.Increment(ref slots) / rate);
                if (due > TimeSpan.FromSeconds(seconds)) break;
                if (due > stop.Elapsed) await Task.Delay(due - stop.Elapsed);
            }
            var (id, post) = await PlaceAsync(http, token, products[Random.Shared.Next(products.Length)]);
            placed.Add((id, token, post));
        }
    })));
    var placing = stop.Elapsed;
    var results = new ConcurrentBag<JsonElement>();
    await Parallel.ForEachAsync(placed, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (p, _) =>
        results.Add(await WaitTerminalAsync(http, p.Token, (p.Id, p.Post), pollMs: 200)));
    var loadCpu = CpuReport.Take(app.ProcessId); // includes the polls until the last order ended: ~2 GETs an order
    var all = results.ToList();
    var completed = all.Where(o => o.GetProperty("status").GetString() == "Completed").ToList();
    var first = all.Min(o => o.GetProperty("createdAt").GetDateTimeOffset());
    var last = completed.Max(o => o.GetProperty("completedAt").GetDateTimeOffset());
    var sagas = completed.Select(SagaMs).ToList();
    var posts = placed.Select(p => p.Post.TotalMilliseconds).ToList();
    Console.WriteLine($"load  placed {placed.Count} in {placing.TotalSeconds:F1} s ({placed.Count / placing.TotalSeconds:F0}/s); " +
                      $"completed {completed.Count}, cancelled {all.Count - completed.Count}; " +
                      $"{completed.Count / (last - first).TotalSeconds:F0} completed/s (first placement → last completion)");
    Console.WriteLine($"load  placement→Completed: p50 {P(sagas, 50):F0} ms  p95 {P(sagas, 95):F0} ms  p99 {P(sagas, 99):F0} ms");
    Console.WriteLine($"load  POST /api/v1/orders:  p50 {P(posts, 50):F1} ms  p95 {P(posts, 95):F1} ms  p99 {P(posts, 99):F1} ms");
    loadCpu.PrintSince(loadFrom, "load  CPU per order", all.Count, "order");
    await Task.Delay(settleTime);
    MemoryReport.Print(app.ProcessId, $"memory {settleTime.TotalSeconds:F0} s after the load");
    Console.WriteLine($"stopped in {(await app.StopAsync(TimeSpan.FromMinutes(2))).TotalSeconds:F1} s");
    return 0;
}
finally
{
    try { Directory.Delete(state, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
}

static double SagaMs(JsonElement order) =>
    ((order.TryGetProperty("completedAt", out var c) && c.ValueKind == JsonValueKind.String ? c.GetDateTimeOffset() : order.GetProperty("updatedAt").GetDateTimeOffset())
     - order.GetProperty("createdAt").GetDateTimeOffset()).TotalMilliseconds;

static double P(List<double> values, int percentile)
{
    if (values.Count == 0) return double.NaN;
    var sorted = values.Order().ToList();
    return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
}
