using System.Diagnostics;

namespace Shop.AppHost.Runtime.Servers;

internal static class ServerProcess
{
    /// <summary>As root, servers that refuse root (PostgreSQL) run as their Debian system user through setpriv.</summary>
    public static (string File, List<string> Args) AsUser(string? user, string file, IEnumerable<string> args)
        => user is null || !Environment.IsPrivilegedProcess
            ? (file, [.. args])
            : ("setpriv", ["--reuid=" + user, "--regid=" + user, "--init-groups", "--", file, .. args]);

    /// <summary>Runs a short command to completion, returning its exit code and output (for initdb and the like).</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> args, CancellationToken ct, IReadOnlyDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct).ConfigureAwait(false);
        return (p.ExitCode, (await stdout.ConfigureAwait(false)) + (await stderr.ConfigureAwait(false)));
    }

    /// <summary>
    /// A server left running by an AppHost that was killed (no Ctrl+C) would hold its data directory: stop it, but
    /// only if the pid really is that server (its command line names <paramref name="marker"/>).
    /// </summary>
    public static async Task StopStaleAsync(int? pid, string marker, Action<string> progress)
    {
        if (pid is not { } p || !File.Exists($"/proc/{p}/cmdline"))
        {
            return;
        }
        var cmdline = (await File.ReadAllTextAsync($"/proc/{p}/cmdline").ConfigureAwait(false)).Replace('\0', ' ');
        if (!cmdline.Contains(marker, StringComparison.Ordinal))
        {
            return;
        }
        progress($"stopping a server left over from an earlier run (pid {p})");
        try
        {
            using var process = Process.GetProcessById(p);
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
    }

    public static void ChownRecursive(string path, string user)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            return;
        }
        using var p = Process.Start("chown", ["-R", $"{user}:{user}", path]);
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"chown -R {user} {path} failed with exit code {p.ExitCode}.");
        }
    }
}
