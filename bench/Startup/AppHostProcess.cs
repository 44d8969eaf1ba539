using System.Diagnostics;

namespace Shop.Bench.Startup;

/// <summary>The AppHost as a user runs it (its built dll), on free ports, with a given state directory.</summary>
internal sealed partial class AppHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Stopwatch _clock;
    private readonly TaskCompletionSource _healthy = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AppHostProcess(Process process, Stopwatch clock)
    {
        _process = process;
        _clock = clock;
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _endpoints = new();
    private string? _dashboardLogin;

    public int ProcessId => _process.Id;

    /// <summary>A resource's http endpoint, as the AppHost printed it once everything was healthy.</summary>
    public string Endpoint(string resource)
    {
        // The endpoint lines follow the "healthy" line; give them a moment.
        for (var i = 0; i < 50 && !_endpoints.ContainsKey(resource); i++)
        {
            Thread.Sleep(100);
        }
        return _endpoints.TryGetValue(resource, out var url) ? url
            : throw new InvalidOperationException($"The AppHost printed no endpoint for '{resource}'.");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"Endpoint (\S+): (http://\S+)")]
    private static partial System.Text.RegularExpressions.Regex EndpointLine();

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
        psi.Environment["AppHost__StateDirectory"] = stateDirectory;
        psi.Environment["AppHost__RandomizePorts"] = "true";
        psi.Environment["DOTNET_ENVIRONMENT"] = "Development";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }
        var clock = Stopwatch.StartNew();
        var process = Process.Start(psi)!;
        var run = new AppHostProcess(process, clock);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } login && login.IndexOf("Login to the dashboard at ", StringComparison.Ordinal) is var at and >= 0)
            {
                run._dashboardLogin = login[(at + "Login to the dashboard at ".Length)..].Trim();
            }
            if (e.Data is { } line && EndpointLine().Match(line) is { Success: true } m)
            {
                run._endpoints[m.Groups[1].Value] = m.Groups[2].Value;
            }
            if (e.Data?.Contains("resources are running and healthy", StringComparison.Ordinal) == true)
            {
                run._healthy.TrySetResult();
            }
            else if (e.Data?.Contains(" fail ", StringComparison.Ordinal) == true)
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
        var watch = Stopwatch.StartNew();
        // SIGTERM, not SIGINT: a process started in the background from a script inherits SIGINT as ignored, and the
        // AppHost stops gracefully on either.
        Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        await _process.WaitForExitAsync().WaitAsync(timeout);
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
