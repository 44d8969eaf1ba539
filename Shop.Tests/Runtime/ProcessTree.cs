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
}
