using System.Diagnostics;
using Aspire.Hosting;

namespace Shop.AppHost.Runtime;

/// <summary>
/// Acquires the servers from Debian packages the first time, as Aspire pulls container images: apt-get as root,
/// one install at a time (apt holds a lock), output streamed as progress. Without root it fails at once with the
/// exact command to run.
/// </summary>
internal sealed class PackageInstaller(RuntimeOptions options)
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static bool _updated;

    /// <summary>apt's own progress lines worth a line on the console; the full output goes to the resource's log.</summary>
    public static bool IsMilestone(string line)
        => line.StartsWith("Get:", StringComparison.Ordinal) || line.StartsWith("Unpacking ", StringComparison.Ordinal)
           || line.StartsWith("Setting up ", StringComparison.Ordinal) || line.StartsWith("Need to get", StringComparison.Ordinal)
           || line.Contains("newly installed", StringComparison.Ordinal) || line.StartsWith("E:", StringComparison.Ordinal);

    public async Task EnsureAsync(string package, Func<bool> isInstalled, Action<string, bool> progress, CancellationToken ct)
    {
        if (isInstalled())
        {
            return;
        }
        var command = $"apt-get install -y --no-install-recommends {package}";
        if (!options.AllowPackageInstall || !Environment.IsPrivilegedProcess || !File.Exists("/usr/bin/apt-get"))
        {
            throw new DistributedApplicationException(
                $"Debian package '{package}' is not installed and this AppHost cannot install it (needs root with apt-get). Run: sudo {command}");
        }
        await Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (isInstalled())
            {
                return;
            }
            if (!_updated)
            {
                progress("apt-get update", true);
                await RunAsync("apt-get", ["-q", "-o", "DPkg::Lock::Timeout=300", "update"], progress, ct).ConfigureAwait(false);
                _updated = true;
            }
            progress($"acquiring {package} from Debian packages: {command}", true);
            await RunAsync("apt-get", ["-q", "-y", "-o", "DPkg::Lock::Timeout=300", "install", "--no-install-recommends", package], progress, ct).ConfigureAwait(false);
            await DisableSystemServicesAsync(progress, ct).ConfigureAwait(false);
            if (!isInstalled())
            {
                throw new DistributedApplicationException($"'{command}' finished but '{package}' is still not usable.");
            }
            progress($"acquired {package}", true);
        }
        finally
        {
            Gate.Release();
        }
    }

    // Where systemd runs, Debian starts (and enables) each server on install; ours are private instances, so turn those off.
    private static async Task DisableSystemServicesAsync(Action<string, bool> progress, CancellationToken ct)
    {
        if (!Directory.Exists("/run/systemd/system"))
        {
            return;
        }
        string[] units = ["postgresql", "redis-server", "rabbitmq-server", "epmd.socket", "epmd.service"];
        try
        {
            await RunAsync("systemctl", ["disable", "--now", .. units], (_, _) => { }, ct).ConfigureAwait(false);
        }
        catch (DistributedApplicationException ex)
        {
            progress($"could not disable the system services ({ex.Message}); they may hold default ports", true);
        }
    }

    private static async Task RunAsync(string file, string[] args, Action<string, bool> progress, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var p = Process.Start(psi) ?? throw new DistributedApplicationException($"Could not start {file}.");
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
                if (tail.Count > 20) { tail.Dequeue(); }
            }
            progress(line, IsMilestone(line));
        }
        p.OutputDataReceived += (_, e) => OnLine(e.Data);
        p.ErrorDataReceived += (_, e) => OnLine(e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        await p.WaitForExitAsync(ct).ConfigureAwait(false);
        if (p.ExitCode != 0)
        {
            throw new DistributedApplicationException($"'{file} {string.Join(' ', args)}' failed with exit code {p.ExitCode}:{Environment.NewLine}{string.Join(Environment.NewLine, tail)}");
        }
    }
}
