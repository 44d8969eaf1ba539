using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Shop.AppHost.Servers;

/// <summary>
/// Acquires a server from Debian's packages the first time, as Aspire pulls a container image: apt-get as root, one
/// install at a time (apt holds a lock), its milestones on the console and every line in the resource's log. Without
/// root (or apt-get) it fails at once, naming the command to run.
/// </summary>
internal static class DebianPackages
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static bool _updated;

    /// <summary>apt's own progress lines worth a line on the console.</summary>
    public static bool IsMilestone(string line)
        => line.StartsWith("Get:", StringComparison.Ordinal) || line.StartsWith("Unpacking ", StringComparison.Ordinal)
           || line.StartsWith("Setting up ", StringComparison.Ordinal) || line.StartsWith("Need to get", StringComparison.Ordinal)
           || line.Contains("newly installed", StringComparison.Ordinal) || line.StartsWith("E:", StringComparison.Ordinal);

    public static async Task EnsureAsync(string package, Func<bool> isInstalled, ILogger console, ILogger resourceLog, CancellationToken ct)
    {
        if (isInstalled())
        {
            return;
        }
        var command = $"apt-get install -y --no-install-recommends {package}";
        if (!Environment.IsPrivilegedProcess || !File.Exists("/usr/bin/apt-get"))
        {
            throw new InvalidOperationException(
                $"Debian package '{package}' is not installed and this AppHost cannot install it (needs root with apt-get). Run: sudo {command}");
        }
        await Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (isInstalled())
            {
                return;
            }
            void Progress(string line)
            {
                resourceLog.LogInformation("{Line}", line);
                if (IsMilestone(line))
                {
                    console.LogInformation("{Package}: {Line}", package, line);
                }
            }
            if (!_updated)
            {
                console.LogInformation("{Package}: not installed; acquiring it from Debian's packages (apt-get update, then {Command})", package, command);
                await RunAsync("apt-get", ["-q", "-o", "DPkg::Lock::Timeout=300", "update"], Progress, ct).ConfigureAwait(false);
                _updated = true;
            }
            await RunAsync("apt-get", ["-q", "-y", "-o", "DPkg::Lock::Timeout=300", "install", "--no-install-recommends", package], Progress, ct).ConfigureAwait(false);
            await DisableSystemServicesAsync(console, ct).ConfigureAwait(false);
            if (!isInstalled())
            {
                throw new InvalidOperationException($"'{command}' finished but '{package}' is still not usable.");
            }
            console.LogInformation("{Package}: installed", package);
        }
        finally
        {
            Gate.Release();
        }
    }

    // Where systemd runs, Debian starts (and enables) each server on install; ours are private instances, so turn those off.
    private static async Task DisableSystemServicesAsync(ILogger console, CancellationToken ct)
    {
        if (!Directory.Exists("/run/systemd/system"))
        {
            return;
        }
        try
        {
            await RunAsync("systemctl", ["disable", "--now", "postgresql", "redis-server", "rabbitmq-server", "epmd.socket", "epmd.service"], _ => { }, ct).ConfigureAwait(false);
        }
        catch (InvalidOperationException ex)
        {
            console.LogWarning("Could not disable the system's own server services ({Reason}); they may hold default ports", ex.Message);
        }
    }

    private static async Task RunAsync(string file, string[] args, Action<string> progress, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {file}.");
        var tail = new Queue<string>();
        void OnLine(string? line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                return;
            }
            lock (tail)
            {
                tail.Enqueue(line);
                if (tail.Count > 20)
                {
                    tail.Dequeue();
                }
            }
            progress(line);
        }
        p.OutputDataReceived += (_, e) => OnLine(e.Data);
        p.ErrorDataReceived += (_, e) => OnLine(e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        await p.WaitForExitAsync(ct).ConfigureAwait(false);
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{file} {string.Join(' ', args)}' failed with exit code {p.ExitCode}:{Environment.NewLine}{string.Join(Environment.NewLine, tail)}");
        }
    }
}
