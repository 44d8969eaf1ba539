using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Shop.AppHost.Runtime;

/// <summary>
/// Remembers, in the state directory, every process this AppHost started. If the AppHost is killed outright (no
/// Ctrl+C), its children live on in their own sessions; the next run stops them before it starts anything, so
/// no stale server holds a port or a data directory. A pid is only killed if its start time still matches, so a
/// reused pid is left alone.
/// </summary>
internal sealed class ProcessRegistry(string stateDirectory)
{
    private readonly Lock _gate = new();
    private string FilePath => Path.Combine(stateDirectory, "processes");

    public void Add(int pid, string resource)
    {
        var started = StartTime(pid);
        lock (_gate)
        {
            File.AppendAllText(FilePath, $"{pid} {started} {resource}\n");
        }
    }

    /// <summary>Kills what an earlier run left behind; returns how many processes that was.</summary>
    public int StopLeftovers(ILogger logger)
    {
        if (!File.Exists(FilePath))
        {
            return 0;
        }
        var killed = 0;
        foreach (var line in File.ReadAllLines(FilePath))
        {
            var parts = line.Split(' ', 3);
            if (parts.Length < 3 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var pid) || StartTime(pid) is not { } now || now != parts[1])
            {
                continue;
            }
            logger.LogWarning("{Resource}: stopping process {Pid} left running by an earlier run that did not shut down", parts[2], pid);
            _ = ManagedProcess.Kill(-pid, ManagedProcess.SIGKILL);
            _ = ManagedProcess.Kill(pid, ManagedProcess.SIGKILL);
            killed++;
        }
        File.Delete(FilePath);
        if (killed > 0)
        {
            Thread.Sleep(500); // let the kernel release their ports and locks
        }
        return killed;
    }

    public void Clear()
    {
        lock (_gate)
        {
            File.Delete(FilePath);
        }
    }

    private static string? StartTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Field 22 (starttime), counted after the command name, which may contain spaces.
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19];
        }
        catch (IOException)
        {
            return null;
        }
    }
}
