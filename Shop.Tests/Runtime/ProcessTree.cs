using System.Diagnostics;
using System.Globalization;

namespace Shop.Tests.Runtime;

/// <summary>A process and everything it started: a server started through a script (RabbitMQ) runs as its child.</summary>
public static class ProcessTree
{
    public static IEnumerable<int> WithDescendants(int pid)
    {
        yield return pid;
        foreach (var child in Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(d => d!.All(char.IsAsciiDigit)))
        {
            int parent;
            try
            {
                var stat = File.ReadAllText($"/proc/{child}/stat");
                parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                continue; // exited meanwhile
            }
            if (parent == pid)
            {
                foreach (var p in WithDescendants(int.Parse(child!, CultureInfo.InvariantCulture)))
                {
                    yield return p;
                }
            }
        }
    }

    /// <summary>
    /// Sends <paramref name="signal"/> (STOP, CONT, KILL...) to every process given, with kill(1), one at a time: a
    /// short-lived helper of the tree (RabbitMQ's port-mapper watcher sleeps in 0.2 s steps) may have exited since the
    /// tree was read, which is no failure; a process still there that kill could not reach is.
    /// </summary>
    public static void Signal(IEnumerable<int> pids, string signal)
    {
        foreach (var pid in pids)
        {
            using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
            Assert.True(kill.ExitCode == 0 || !File.Exists($"/proc/{pid}/stat"), $"kill -{signal} {pid} failed");
        }
    }
}
