using System.Diagnostics;

namespace Shop.Bench.Startup;

/// <summary>The AppHost as a user runs it (its built dll), on free ports, with a given state directory.</summary>
internal sealed class AppHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Stopwatch _clock;
    private readonly TaskCompletionSource _healthy = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AppHostProcess(Process process, Stopwatch clock)
    {
        _process = process;
        _clock = clock;
    }

    public int ProcessId => _process.Id;

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

    public static Task<AppHostProcess> StartAsync(string dll, string stateDirectory)
    {
        var psi = new ProcessStartInfo("dotnet", [dll]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.Environment["AppHost__StateDirectory"] = stateDirectory;
        psi.Environment["AppHost__RandomizePorts"] = "true";
        psi.Environment["DOTNET_ENVIRONMENT"] = "Development";
        var clock = Stopwatch.StartNew();
        var process = Process.Start(psi)!;
        var run = new AppHostProcess(process, clock);
        process.OutputDataReceived += (_, e) =>
        {
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
        Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return watch.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
