using System.Globalization;

namespace Shop.Bench.Startup;

/// <summary>
/// Memory of the AppHost and every process below it, grouped by what it is, two ways. VmRSS is each process's resident
/// memory, the figure the targets name; but a page several processes map (PostgreSQL's shared buffers in every
/// backend, the .NET framework's files in every service) counts once in each of them, so a sum of VmRSS overstates what
/// the system holds. PSS (proportional set size, <c>/proc/PID/smaps_rollup</c>) divides each shared page among the
/// processes that map it: summed, it is the memory the processes hold between them.
/// </summary>
internal static class MemoryReport
{
    public static void Print(int rootPid, string title = "idle memory:")
    {
        var tree = ProcessesUnder(rootPid);
        var rows = tree.Select(pid => (Name: NameOf(pid, rootPid), Rss: Kb(pid, "status", "VmRSS:"), Pss: Kb(pid, "smaps_rollup", "Pss:")))
            .Where(r => r.Rss > 0)
            .GroupBy(r => r.Name)
            .Select(g => (Name: g.Key, Count: g.Count(), Rss: g.Sum(r => r.Rss) / 1024.0, Pss: g.Sum(r => r.Pss) / 1024.0))
            .OrderByDescending(r => r.Rss).ToList();
        Console.WriteLine($"{title} (VmRSS, and PSS: shared pages divided among the processes that map them)");
        foreach (var (name, count, rss, pss) in rows)
        {
            Console.WriteLine($"  {name,-28} {count,3} proc  {rss,8:F1} MB RSS  {pss,8:F1} MB PSS");
        }
        Console.WriteLine($"  {"total",-28} {rows.Sum(r => r.Count),3} proc  {rows.Sum(r => r.Rss),8:F1} MB RSS  " +
                          $"{rows.Sum(r => r.Pss),8:F1} MB PSS (what the system holds)");
    }

    /// <summary>The root and every process below it, as the tree is now.</summary>
    public static HashSet<int> ProcessesUnder(int rootPid)
    {
        var all = Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : -1)
            .Where(pid => pid > 0)
            .Select(pid => (Pid: pid, Parent: ParentOf(pid)))
            .ToList();
        // DCP detaches from the AppHost (its parent is init) and watches it with '--monitor <AppHost pid>': it and the
        // resources it runs belong to the AppHost's tree all the same.
        var tree = new HashSet<int> { rootPid };
        foreach (var (pid, _) in all)
        {
            if (MonitorsProcess(pid, rootPid))
            {
                tree.Add(pid);
            }
        }
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

    private static bool MonitorsProcess(int pid, int monitored)
    {
        try
        {
            var args = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            return args.Length > 0 && Path.GetFileName(args[0]) == "dcp"
                && args.Zip(args.Skip(1)).Any(a => a.First == "--monitor" && a.Second == monitored.ToString(CultureInfo.InvariantCulture));
        }
        catch (IOException)
        {
            return false;
        }
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

    /// <summary>A "Name:   123 kB" line of a file under /proc/PID, in kB; 0 once the process has gone.</summary>
    private static long Kb(int pid, string file, string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/{file}").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return 0; }
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
