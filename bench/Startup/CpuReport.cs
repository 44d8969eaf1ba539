using System.Globalization;

namespace Shop.Bench.Startup;

/// <summary>
/// CPU time used by the AppHost and every process below it, grouped as <see cref="MemoryReport"/> groups them. Take a
/// snapshot before and after a phase; the difference, divided by the work done, is a figure that the run-to-run noise
/// of throughput and latency on a shared 2-core machine hardly moves.
/// </summary>
internal sealed class CpuReport
{
    private static readonly double TicksPerSecond = 100; // USER_HZ: 100 on every Linux build this runs on

    private readonly Dictionary<string, double> seconds;
    private readonly double machineBusy;
    private readonly double machineTotal;
    private readonly DateTime taken = DateTime.UtcNow;

    private CpuReport(Dictionary<string, double> seconds, double machineBusy, double machineTotal)
    {
        this.seconds = seconds;
        this.machineBusy = machineBusy;
        this.machineTotal = machineTotal;
    }

    /// <summary>
    /// CPU seconds per group now. A process's own time plus that of its children that have exited (a PostgreSQL
    /// backend that closes is added to the postmaster), so a process ending between two snapshots is not lost.
    /// </summary>
    public static CpuReport Take(int rootPid)
    {
        var groups = new Dictionary<string, double>();
        foreach (var pid in MemoryReport.ProcessesUnder(rootPid))
        {
            if (CpuSeconds(pid) is { } used)
            {
                var name = MemoryReport.NameOf(pid, rootPid);
                groups[name] = groups.GetValueOrDefault(name) + used;
            }
        }
        groups["bench (this process)"] = Environment.ProcessId is var self && CpuSeconds(self) is { } mine ? mine : 0;
        var (busy, total) = MachineSeconds();
        return new CpuReport(groups, busy, total);
    }

    /// <summary>Prints CPU used between <paramref name="before"/> and this snapshot, per group and per unit of work.</summary>
    public void PrintSince(CpuReport before, string title, int units, string unit) => Since(before).Print(title, units, unit);

    /// <summary>What was used between <paramref name="before"/> and this snapshot.</summary>
    public CpuUsage Since(CpuReport before) => new(
        seconds.ToDictionary(g => g.Key, g => g.Value - before.seconds.GetValueOrDefault(g.Key)),
        machineBusy - before.machineBusy, machineTotal - before.machineTotal, (taken - before.taken).TotalSeconds);

    private static double? CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // After "pid (comm) ": field 3 (state) is index 0, so utime (14), stime, cutime, cstime (17) are 11–14.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return Enumerable.Range(11, 4).Sum(i => long.Parse(fields[i], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static (double Busy, double Total) MachineSeconds()
    {
        // "cpu  user nice system idle iowait irq softirq steal ...": idle and iowait are the not-busy part.
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Take(8).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var total = cpu.Sum() / TicksPerSecond;
        return (total - (cpu[3] + cpu[4]) / TicksPerSecond, total);
    }
}

/// <summary>CPU seconds per group over one or more phases (phases add up), and the machine's busy share over them.</summary>
internal sealed record CpuUsage(Dictionary<string, double> Seconds, double MachineBusy, double MachineTotal, double Wall)
{
    public CpuUsage Plus(CpuUsage other) => new(
        Seconds.Keys.Union(other.Seconds.Keys).ToDictionary(k => k, k => Seconds.GetValueOrDefault(k) + other.Seconds.GetValueOrDefault(k)),
        MachineBusy + other.MachineBusy, MachineTotal + other.MachineTotal, Wall + other.Wall);

    public void Print(string title, int units, string unit)
    {
        var rows = Seconds.Where(r => r.Value > 0).OrderByDescending(r => r.Value).ToList();
        var sum = rows.Sum(r => r.Value);
        Console.WriteLine($"{title}: CPU over {Wall:F1} s, machine {100 * MachineBusy / Math.Max(MachineTotal, 1e-9):F0} % busy " +
                          $"({Environment.ProcessorCount} cores), {units} {unit}s:");
        foreach (var (name, used) in rows)
        {
            Console.WriteLine($"  {name,-28} {used,7:F1} CPU-s  {100 * used / sum,5:F1} %  {1000 * used / Math.Max(units, 1),7:F2} ms/{unit}");
        }
        Console.WriteLine($"  {"total",-28} {sum,7:F1} CPU-s  {100.0,5:F1} %  {1000 * sum / Math.Max(units, 1),7:F2} ms/{unit}");
    }
}
