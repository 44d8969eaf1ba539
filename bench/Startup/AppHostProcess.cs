using System.Diagnostics;

namespace Shop.Bench.Startup;

/// <summary>The AppHost as a user runs it (its built dll), on free ports, with a given state directory.</summary>
internal sealed partial class AppHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Stopwatch _clock;
    private readonly TaskCompletionSource _healthy = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly string _dll;

    private AppHostProcess(Process process, Stopwatch clock, string dll)
    {
        _process = process;
        _clock = clock;
        _dll = dll;
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _endpoints = new();
    private string? _dashboardLogin;

    public int ProcessId => _process.Id;

    /// <summary>
    /// A project's http endpoint: the gateway's as the AppHost printed it once everything was healthy, the others'
    /// from their launch profiles (Aspire keeps those ports when ports are not randomized, as in a developer's run).
    /// </summary>
    public string Endpoint(string resource)
    {
        if (resource == "gateway")
        {
            for (var i = 0; i < 50 && !_endpoints.ContainsKey(resource); i++)
            {
                Thread.Sleep(100);
            }
            return _endpoints.TryGetValue(resource, out var url) ? url
                : throw new InvalidOperationException("The AppHost printed no gateway address.");
        }
        var root = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(_dll)))))!;
        var settings = Path.Combine(root, "Services", $"{char.ToUpperInvariant(resource[0])}{resource[1..]}", "Properties", "launchSettings.json");
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(settings));
        return json.RootElement.GetProperty("profiles").GetProperty("http").GetProperty("applicationUrl").GetString()!;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"Gateway: (http://\S+)")]
    private static partial System.Text.RegularExpressions.Regex GatewayLine();

    [System.Text.RegularExpressions.GeneratedRegex(@"Dashboard: (http://\S+)")]
    private static partial System.Text.RegularExpressions.Regex DashboardLine();

    public static string Locate()
    {
        var config = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Shop.sln")))
        {
            root = Path.GetDirectoryName(root.TrimEnd('/')) ?? throw new InvalidOperationException("Shop.sln not found above the benchmark.");
        }
        var dll = Path.Combine(root, "Shop.AppHost", "bin", config, "net10.0", "Shop.AppHost.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build the AppHost first ({config}).", dll);
    }

    public static Task<AppHostProcess> StartAsync(string dll, string stateDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo("dotnet", [dll]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // What the AppHost's launch profile sets for 'dotnet run' (the dll started directly does not read it), and a
        // state directory of the benchmark's own.
        psi.Environment["Shop__StateDirectory"] = stateDirectory;
        psi.Environment["DOTNET_ENVIRONMENT"] = "Development";
        psi.Environment["ASPNETCORE_URLS"] = "http://localhost:18888";
        psi.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = "http://localhost:18889";
        psi.Environment["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = "http://localhost:18890";
        psi.Environment["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }
        var clock = Stopwatch.StartNew();
        var process = Process.Start(psi)!;
        var run = new AppHostProcess(process, clock, dll);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && GatewayLine().Match(line) is { Success: true } gateway)
            {
                run._endpoints["gateway"] = gateway.Groups[1].Value;
                run._dashboardLogin = DashboardLine().Match(line) is { Success: true } d ? d.Groups[1].Value : null;
                run._healthy.TrySetResult();
            }
            else if (e.Data?.Contains("fail:", StringComparison.Ordinal) == true)
            {
                Console.Error.WriteLine($"  apphost: {e.Data}");
            }
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine($"  apphost: {e.Data}"); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return Task.FromResult(run);
    }

    public async Task<TimeSpan> WaitUntilHealthyAsync(TimeSpan timeout)
    {
        await _healthy.Task.WaitAsync(timeout);
        return _clock.Elapsed;
    }

    public async Task<TimeSpan> StopAsync(TimeSpan timeout)
    {
        // Everything the run started (DCP detaches from the AppHost and stops the resources after the AppHost exits):
        // stopped means all of it is gone.
        var family = MemoryReport.ProcessesUnder(_process.Id);
        var watch = Stopwatch.StartNew();
        // SIGTERM, not SIGINT: a process started in the background from a script inherits SIGINT as ignored, and the
        // AppHost stops gracefully on either.
        Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        await _process.WaitForExitAsync().WaitAsync(timeout);
        while (family.Any(pid => File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal)))
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"still running {timeout} after Ctrl+C: {string.Join(", ", family.Where(pid => File.Exists($"/proc/{pid}/stat")).Select(pid => MemoryReport.NameOf(pid, _process.Id)))}");
            }
            await Task.Delay(50);
        }
        return watch.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        // Still running here means the benchmark failed before StopAsync: with SHOP_BENCH_HOLD=<seconds> the system
        // stays up that long, so the failure can be looked up in the dashboard (its telemetry goes with the AppHost).
        if (!_process.HasExited && int.TryParse(Environment.GetEnvironmentVariable("SHOP_BENCH_HOLD"), out var hold) && hold > 0)
        {
            Console.Error.WriteLine($"The benchmark failed; the system stays up for {hold} s. Dashboard: {_dashboardLogin}");
            await Task.Delay(TimeSpan.FromSeconds(hold));
        }
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
