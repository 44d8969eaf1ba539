using Microsoft.Extensions.Logging.Abstractions;
using Shop.AppHost.Runtime;

namespace Shop.Tests.Runtime;

public sealed class ProcessRegistryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("shop-registry-").FullName;

    [Fact]
    public async Task processes_left_by_a_run_that_was_killed_are_stopped_by_the_next_run()
    {
        var registry = new ProcessRegistry(_dir);
        var orphan = ManagedProcess.Start("sleep", ["300"], new Dictionary<string, string?>(), _dir, (_, _) => { }, pid => registry.Add(pid, "orphan"));
        Assert.False(orphan.HasExited);

        // The next AppHost run on the same state directory, after the first one died without stopping anything.
        var killed = new ProcessRegistry(_dir).StopLeftovers(NullLogger.Instance);

        Assert.Equal(1, killed);
        var code = await orphan.Exited.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.NotEqual(0, code);
        Assert.False(File.Exists(Path.Combine(_dir, "processes")));
    }

    [Fact]
    public async Task a_recorded_pid_that_now_belongs_to_another_process_is_left_alone()
    {
        // Same pid, different start time: not ours any more.
        var bystander = ManagedProcess.Start("sleep", ["300"], new Dictionary<string, string?>(), _dir, (_, _) => { });
        File.WriteAllText(Path.Combine(_dir, "processes"), $"{bystander.ProcessId} 1 someone-else\n");

        Assert.Equal(0, new ProcessRegistry(_dir).StopLeftovers(NullLogger.Instance));
        Assert.False(bystander.HasExited);

        await bystander.StopAsync(ManagedProcess.SIGTERM, TimeSpan.FromSeconds(5));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
