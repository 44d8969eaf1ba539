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

    /// <summary>Sends <paramref name="signal"/> (STOP, CONT, KILL...) to every process given, with kill(1).</summary>
    public static void Signal(IEnumerable<int> pids, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", .. pids.Select(p => p.ToString(CultureInfo.InvariantCulture))]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }
}
