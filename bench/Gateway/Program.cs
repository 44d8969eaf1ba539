// bench/gateway: a cached product read, direct to catalog and through the gateway (authentication and Redis rate
// limiting on, limits raised for this client), side by side in one run with wrk at 1 and 32 connections; through the
// gateway twice: answered from its edge cache ("gateway"), and forwarded to catalog ("forwarded", the request says
// Cache-Control: no-cache); then the CPU each process used per request on each path at 32 connections (summed over
// the repetitions).
// Usage: dotnet run -c Release --project bench/Gateway [repetitions]   (needs wrk: apt-get install wrk)
using System.Globalization;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Shop.Bench.Startup;

var reps = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
if (!File.Exists("/usr/bin/wrk"))
{
    Console.Error.WriteLine("wrk is not installed: apt-get install -y wrk");
    return 2;
}
var state = Path.Combine("/var/tmp", $"shop-bench-{Guid.NewGuid():N}"[..20]);
try
{
    await using var app = await AppHostProcess.StartAsync(AppHostProcess.Locate(), state, new Dictionary<string, string>
    {
        // The benchmark client must not be the thing being limited; the limiter still runs on every request.
        ["Services__gateway__RateLimiting__UserPermitLimit"] = "100000000",
        ["Services__gateway__RateLimiting__AnonymousPermitLimit"] = "100000000",
    });
    await app.WaitUntilHealthyAsync(TimeSpan.FromMinutes(5));
    var gateway = app.Endpoint("gateway");
    var catalog = app.Endpoint("catalog");
    Console.WriteLine($"gateway {gateway}  catalog {catalog}  ({Environment.ProcessorCount} cores)");

    using var http = new HttpClient();
    var email = $"bench-{Guid.NewGuid():N}@example.test";
    (await http.PostAsJsonAsync($"{gateway}/api/v1/users", new { email, password = "bench-password-1", displayName = "Bench" })).EnsureSuccessStatusCode();
    var login = await (await http.PostAsJsonAsync($"{gateway}/api/v1/auth/token", new { email, password = "bench-password-1" })).Content.ReadFromJsonAsync<Dictionary<string, object>>();
    var token = login!["accessToken"].ToString()!;
    const string path = "/api/v1/products/1";
    // "gateway" is answered from the gateway's edge cache (Gateway/Caching); "forwarded" asks for a fresh answer
    // (Cache-Control: no-cache), so the gateway forwards it to catalog: what any uncacheable request costs.
    const string NoCache = "Cache-Control: no-cache";
    (string Name, string Url, string? Header)[] paths = [("direct", catalog, null), ("gateway", gateway, null), ("forwarded", gateway, NoCache)];

    var results = new Dictionary<string, List<WrkResult>>();
    var cpu = new Dictionary<string, (CpuUsage Used, long Requests)>();
    foreach (var c in new[] { 1, 32 })
    {
        Wrk.Run(catalog + path, token, c, 5); // warm-up, discarded
        Wrk.Run(gateway + path, token, c, 5);
        Wrk.Run(gateway + path, token, c, 5, NoCache);
        for (var i = 0; i < reps; i++)
        {
            foreach (var (name, url, header) in paths)
            {
                var before = CpuReport.Take(app.ProcessId);
                var r = Wrk.Run(url + path, token, c, 10, header);
                if (c == 32)
                {
                    var used = CpuReport.Take(app.ProcessId).Since(before);
                    cpu[name] = cpu.TryGetValue(name, out var sum) ? (sum.Used.Plus(used), sum.Requests + r.Requests) : (used, r.Requests);
                }
                Console.WriteLine($"c{c,-3} {name,-8} {r}");
                results.TryAdd($"{name}-c{c}", []);
                results[$"{name}-c{c}"].Add(r);
            }
        }
    }

    Console.WriteLine();
    double Med(IEnumerable<double> xs) { var l = xs.Order().ToList(); return l[l.Count / 2]; }
    foreach (var c in new[] { 1, 32 })
    {
        var d = results[$"direct-c{c}"];
        foreach (var name in new[] { "gateway", "forwarded" })
        {
            var g = results[$"{name}-c{c}"];
            var ratios = d.Zip(g, (a, b) => b.Rps / a.Rps).ToList();
            Console.WriteLine($"c{c} {name,-9}: RPS direct {Med(d.Select(x => x.Rps)):F0}, {name} {Med(g.Select(x => x.Rps)):F0}; ratio median {Med(ratios):F2} (min {ratios.Min():F2}, max {ratios.Max():F2}); " +
                              $"added latency p50 {Med(g.Select(x => x.P50Ms)) - Med(d.Select(x => x.P50Ms)):F2} ms, p99 {Med(g.Select(x => x.P99Ms)) - Med(d.Select(x => x.P99Ms)):F2} ms");
        }
    }
    Console.WriteLine("targets: ratio >= 0.55 at c32; added latency at c1 <= 0.4 ms p50, <= 1.5 ms p99");
    foreach (var (name, (used, requests)) in cpu)
    {
        Console.WriteLine();
        used.Print($"c32 {name}", (int)(requests / 1000), "1000 request");
    }
    await app.StopAsync(TimeSpan.FromSeconds(30));
    return 0;
}
finally
{
    if (Directory.Exists(state))
    {
        Directory.Delete(state, recursive: true);
    }
}

internal sealed record WrkResult(double Rps, double P50Ms, double P99Ms, int Errors, long Requests)
{
    public override string ToString() => $"{Rps,9:F0} req/s  p50 {P50Ms,6:F2} ms  p99 {P99Ms,6:F2} ms  non-2xx/errors {Errors}";
}

internal static partial class Wrk
{
    public static WrkResult Run(string url, string token, int connections, int seconds, string? header = null)
    {
        string[] headers = header is null ? [] : ["-H", header];
        var psi = new System.Diagnostics.ProcessStartInfo("wrk", ["-t", connections == 1 ? "1" : "2", "-c", connections.ToString(CultureInfo.InvariantCulture),
            "-d", $"{seconds}s", "--latency", "-H", $"Authorization: Bearer {token}", .. headers, url]) { RedirectStandardOutput = true };
        using var p = System.Diagnostics.Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        var rps = double.Parse(Rps().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var errors = Non2xx().Match(output) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var requests = long.Parse(Requests().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        return new WrkResult(rps, Percentile(output, "50%"), Percentile(output, "99%"), errors, requests);
    }

    private static double Percentile(string output, string label)
    {
        var m = Regex.Match(output, $@"\s{Regex.Escape(label)}\s+([\d.]+)(us|ms|s)");
        var v = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return m.Groups[2].Value switch { "us" => v / 1000, "s" => v * 1000, _ => v };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex Rps();

    [GeneratedRegex(@"(\d+) requests in ")]
    private static partial Regex Requests();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex Non2xx();
}
