using System.Diagnostics;

namespace Shop.Tests.System;

/// <summary>Start-up failures and shutdown, each on an app model of its own (not the shared system).</summary>
public sealed class LifecycleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_project_that_exits_at_start_up_ends_exited_with_its_log_and_its_dependants_never_start()
    {
        var builder = DistributedApplicationTestingBuilder.Create();
        // Catalog without its connection strings cannot start: it exits at once, naming what is missing.
        var broken = builder.AddProject<Projects.Catalog>("broken").WithHttpHealthCheck("/health");
        builder.AddProject<Projects.Gateway>("dependant").WithReference(broken).WaitFor(broken);
        await using var app = await builder.BuildAsync(Ct);
        await app.StartAsync(Ct);

        var watch = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<ResourceFailedException>(
            () => app.ResourceNotifications.WaitForResourceHealthyAsync("broken", Ct).WaitAsync(TimeSpan.FromSeconds(60), Ct));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"the failure took {watch.Elapsed} to surface");

        Assert.Equal(KnownResourceStates.Exited, ex.Snapshot.State);
        Assert.NotNull(ex.Snapshot.ExitCode);
        Assert.NotEqual(0, ex.Snapshot.ExitCode);
        Assert.Contains("ConnectionStrings", ex.Snapshot.StateDescription);
        Assert.Contains(app.ResourceLogs.GetLines("broken"), l => l.Content.Contains("catalogdb", StringComparison.Ordinal));

        var dependant = await app.ResourceNotifications.WaitForResourceAsync("dependant", e => KnownResourceStates.IsTerminal(e.Snapshot.State), Ct)
            .WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(KnownResourceStates.FailedToStart, dependant.Snapshot.State);
        Assert.Contains("'broken' is Exited", dependant.Snapshot.StateDescription);
        Assert.Empty(dependant.Snapshot.Replicas);
    }

    [Fact]
    public async Task after_dispose_no_process_the_app_started_is_alive()
    {
        var builder = DistributedApplicationTestingBuilder.Create();
        var postgres = builder.AddPostgres("postgres");
        var db = postgres.AddDatabase("catalogdb");
        var cache = builder.AddRedis("cache");
        var messaging = builder.AddRabbitMQ("messaging").WithManagementPlugin();
        builder.AddProject<Projects.Catalog>("catalog").WithReference(db).WaitFor(db).WithReference(cache).WaitFor(cache)
            .WithReference(messaging).WaitFor(messaging)
            .WithReplicas(2).WithHttpHealthCheck("/health");
        var app = await builder.BuildAsync(Ct);
        await app.StartAsync(Ct);
        await Task.WhenAll(new[] { "postgres", "catalogdb", "cache", "messaging", "catalog" }
            .Select(r => app.ResourceNotifications.WaitForResourceHealthyAsync(r, Ct)))
            .WaitAsync(ShopAppFixture.StartTimeout, Ct);

        var pids = app.GetProcessIds();
        Assert.Equal(6, pids.Count); // postgres, redis, rabbitmq, epmd, 2 catalog replicas
        var sessions = pids.ToHashSet();
        var family = AllProcesses().Where(p => sessions.Contains(p.Session)).Select(p => p.Pid).ToList();
        Assert.True(family.Count > pids.Count, "postgres and rabbitmq run helper processes in their sessions");
        var stateDirectory = builder.Options.StateDirectory!;
        Assert.True(Directory.Exists(stateDirectory));

        var watch = Stopwatch.StartNew();
        await app.DisposeAsync();
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"stopping took {watch.Elapsed}");

        var alive = family.Where(pid => File.Exists($"/proc/{pid}/stat") && !IsZombie(pid)).ToList();
        Assert.Empty(alive);
        Assert.DoesNotContain(AllProcesses(), p => sessions.Contains(p.Session));
        Assert.False(Directory.Exists(stateDirectory), "a test instance removes its state directory");
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static IEnumerable<(int Pid, int Session)> AllProcesses()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue;
            }
            // Fields after the command (which may hold spaces): state ppid pgrp session ...
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            yield return (pid, int.Parse(fields[3], global::System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
