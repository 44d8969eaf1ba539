using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Shop.AppHost.Runtime;

/// <summary>
/// A child process in a session of its own (setsid), so that Ctrl+C in the terminal reaches only the AppHost, which
/// then stops children in reverse dependency order; the session id is the process group the AppHost kills at the end.
/// Every output line goes to <paramref name="onLine"/>.
/// </summary>
internal sealed partial class ManagedProcess
{
    public const int SIGINT = 2, SIGKILL = 9, SIGTERM = 15;

    private readonly Process _process;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ManagedProcess(Process process) => _process = process;

    public int ProcessId => _process.Id;

    /// <summary>Completes with the exit code when the process has exited and its output is drained.</summary>
    public Task<int> Exited => _exited.Task;

    public bool HasExited => _exited.Task.IsCompleted;

    public static ManagedProcess Start(string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment,
        string? workingDirectory, Action<string, bool> onLine, Action<int>? onStarted = null)
    {
        var psi = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        psi.ArgumentList.Add(fileName);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        foreach (var (k, v) in environment)
        {
            if (v is null)
            {
                psi.Environment.Remove(k);
            }
            else
            {
                psi.Environment[k] = v;
            }
        }
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var managed = new ManagedProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) onLine(e.Data, false); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) onLine(e.Data, true); };
        process.Start();
        onStarted?.Invoke(process.Id);
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _ = managed.WatchAsync();
        return managed;
    }

    private async Task WatchAsync()
    {
        await _process.WaitForExitAsync().ConfigureAwait(false);
        var code = _process.ExitCode;
        // Whatever the process left in its group (postgres backends, erlang helpers) goes with it.
        KillGroup(SIGKILL);
        _exited.TrySetResult(code);
    }

    public void Signal(int signal)
    {
        if (!HasExited)
        {
            _ = kill(_process.Id, signal);
        }
    }

    private void KillGroup(int signal) => _ = kill(-_process.Id, signal);

    /// <summary>Asks the process to stop with <paramref name="signal"/>; after <paramref name="grace"/> kills its whole group.</summary>
    public async Task<int> StopAsync(int signal, TimeSpan grace)
    {
        Signal(signal);
        try
        {
            return await Exited.WaitAsync(grace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            KillGroup(SIGKILL);
            _ = kill(_process.Id, SIGKILL);
            return await Exited.ConfigureAwait(false);
        }
    }

    public static int Kill(int pid, int signal) => kill(pid, signal);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}
