using System.Globalization;

namespace Shop.Bench.Startup;

/// <summary>Resident memory (VmRSS) of the AppHost and every process below it, grouped by what it is.</summary>
internal static class MemoryReport
{
    public static void Print(int rootPid, string title = "idle resident memory (VmRSS):")
    {
        var tree = ProcessesUnder(rootPid);
        var rows = tree.Select(pid => (Name: NameOf(pid, rootPid), Kb: RssKb(pid))).Where(r => r.Kb > 0)
            .GroupBy(r => r.Name).Select(g => (Name: g.Key, Count: g.Count(), Mb: g.Sum(r => r.Kb) / 1024.0))
            .OrderByDescending(r => r.Mb).ToList();
        Console.WriteLine(title);
        foreach (var (name, count, mb) in rows)
        {
            Console.WriteLine($"  {name,-28} {count,3} proc  {mb,8:F1} MB");
        }
        Console.WriteLine($"  {"total",-28} {rows.Sum(r => r.Count),3} proc  {rows.Sum(r => r.Mb),8:F1} MB");
    }

    /// <summary>The root and every process below it, as the tree is now.</summary>
    public static HashSet<int> ProcessesUnder(int rootPid)
    {
        var all = Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : -1)
            .Where(pid => pid > 0)
            .Select(pid => (Pid: pid, Parent: ParentOf(pid)))
            .ToList();
        var tree = new HashSet<int> { rootPid };
        bool grew;
        do
        {
            grew = false;
            foreach (var (pid, parent) in all)
            {
                if (tree.Contains(parent) && tree.Add(pid))
                {
                    grew = true;
                }
            }
        }
        while (grew);
        return tree;
    }

    private static int ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
        }
        catch (IOException) { return -1; }
    }

    private static long RssKb(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException) { return 0; }
    }

    public static string NameOf(int pid, int root)
    {
        if (pid == root)
        {
            return "AppHost (+dashboard)";
        }
        try
        {
            var cmd = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
            var comm = File.ReadAllText($"/proc/{pid}/comm").Trim();
            if (comm == "dotnet" && cmd.Length > 1)
            {
                return Path.GetFileNameWithoutExtension(cmd[1]);
            }
            return comm.StartsWith("postgres", StringComparison.Ordinal) ? "postgres (all backends)"
                : comm is "beam.smp" or "erl_child_setup" or "inet_gethost" or "epmd" or "rabbitmq-server" or "sh" ? "rabbitmq (beam+epmd+helpers)"
                : comm;
        }
        catch (IOException) { return "?"; }
    }
}
