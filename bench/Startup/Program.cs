// bench/startup: AppHost launch -> every resource healthy, for a cold run (empty state directory: initdb,
// RabbitMQ's first boot, migrations and seed) and warm runs (state kept), then the resident memory of every
// process once idle, the CPU each process used to get healthy (last run), the first order each run (a new customer's,
// placement → Completed, straight after healthy: the code paths are cold), and the time Ctrl+C takes to stop everything. Usage: dotnet run -c Release --project bench/Startup [warm-runs]
using System.Diagnostics;
using System.Globalization;
using Shop.Bench.Startup;

var warmRuns = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
var appHost = AppHostProcess.Locate();
var state = Path.Combine("/var/tmp", $"shop-bench-{Guid.NewGuid():N}"[..20]);
Console.WriteLine($"AppHost: {appHost}");
Console.WriteLine($"State:   {state} (removed at the end)");
Console.WriteLine($"Machine: {Environment.ProcessorCount} cores");

var results = new List<(string Kind, double Healthy, double FirstOrder, double Stop)>();
try
{
    for (var i = 0; i <= warmRuns; i++)
    {
        var kind = i == 0 ? "cold" : $"warm{i}";
        await using var run = await AppHostProcess.StartAsync(appHost, state);
        var launched = CpuReport.Take(run.ProcessId);
        var healthy = await run.WaitUntilHealthyAsync(TimeSpan.FromMinutes(5));
        var startedUp = CpuReport.Take(run.ProcessId);
        Console.WriteLine($"{kind,-6} launch -> all healthy: {healthy.TotalSeconds,6:F2} s");
        var (seen, server) = await ShopClient.FirstOrderAsync(new Uri(run.Endpoint("gateway")));
        Console.WriteLine($"{kind,-6} first order, placement -> Completed: {seen.TotalSeconds,6:F2} s seen by the client ({server.TotalSeconds:F2} s by the server's timestamps)");
        if (i == warmRuns)
        {
            // Where start-up goes on a 2-core machine: the CPU every process used from launch to healthy.
            startedUp.PrintSince(launched, $"{kind} start-up", 1, "start");
            // Let start-up work settle, and the last service started pass its first native-memory trim (10 s after its
            // start), before measuring idle memory.
            await Task.Delay(TimeSpan.FromSeconds(15));
            MemoryReport.Print(run.ProcessId);
        }
        var stop = await run.StopAsync(TimeSpan.FromSeconds(30));
        Console.WriteLine($"{kind,-6} Ctrl+C -> all stopped:  {stop.TotalSeconds,6:F2} s");
        results.Add((kind, healthy.TotalSeconds, seen.TotalSeconds, stop.TotalSeconds));
    }
}
finally
{
    if (Directory.Exists(state))
    {
        Directory.Delete(state, recursive: true);
    }
}

var warm = results.Skip(1).Select(r => r.Healthy).Order().ToList();
Console.WriteLine();
Console.WriteLine($"cold start: {results[0].Healthy:F2} s");
if (warm.Count > 0)
{
    Console.WriteLine($"warm start: median {warm[warm.Count / 2]:F2} s (min {warm[0]:F2}, max {warm[^1]:F2}, n={warm.Count}); target <= 12 s");
}
var firstOrders = results.Skip(1).Select(r => r.FirstOrder).Order().ToList();
if (firstOrders.Count > 0)
{
    Console.WriteLine($"first order after a warm start: median {firstOrders[firstOrders.Count / 2]:F2} s (min {firstOrders[0]:F2}, max {firstOrders[^1]:F2}); target <= 1 s");
}
Console.WriteLine($"stop:       max {results.Max(r => r.Stop):F2} s; target <= 15 s");
return 0;
