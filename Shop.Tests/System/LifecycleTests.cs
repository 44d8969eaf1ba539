using Shop.AppHost;
using Shop.AppHost.Servers;
using System.Diagnostics;

namespace Shop.Tests.System;

/// <summary>Start-up failures and shutdown, each on an app model of its own (not the shared system).</summary>
public sealed class LifecycleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_project_that_exits_at_start_up_ends_with_its_log_and_its_dependants_never_start()
    {
        var builder = TestApps.CreateBuilder();
        // Catalog without its connection strings cannot start: it exits at once, naming what is missing.
        var broken = builder.AddProject<Projects.Catalog>("broken").FromBuildOutput().WithHttpHealthCheck("/health");
        builder.AddProject<Projects.Gateway>("dependant").FromBuildOutput().WithReference(broken).WaitFor(broken);
        await using var app = await builder.BuildAsync(Ct);
        // StartAsync returns once every resource has started or failed; a dependant whose dependency was seen Running
        // before it exited waits (Aspire waits for health without watching for an exit), so it is not awaited here.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var starting = app.StartAsync(stop.Token);

        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<DistributedApplicationException>(
            () => app.ResourceNotifications.WaitForResourceHealthyAsync("broken", Ct).WaitAsync(TimeSpan.FromSeconds(60), Ct));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"the failure took {watch.Elapsed} to surface");

        var ended = await app.ResourceNotifications.WaitForResourceAsync("broken", e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), Ct)
            .WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Contains(ended.Snapshot.State?.Text, new[] { KnownResourceStates.Exited, KnownResourceStates.Finished });
        Assert.NotNull(ended.Snapshot.ExitCode);
        Assert.NotEqual(0, ended.Snapshot.ExitCode);
        // Its log names the setting it lacks.
        Assert.Contains(await app.LogLinesAsync("broken", Ct), l => l.Contains("ConnectionStrings:", StringComparison.Ordinal) && l.Contains("missing", StringComparison.Ordinal));

        // The dependant never runs: it failed to start, or still waits for a dependency that will never be healthy.
        await app.ResourceNotifications.WaitForResourceAsync("dependant",
                e => e.Snapshot.State?.Text == KnownResourceStates.FailedToStart || e.Snapshot.State?.Text == KnownResourceStates.Waiting, Ct)
            .WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Empty(await app.ProcessIdsOfAsync("dependant", Ct));

        await stop.CancelAsync();
        try
        {
            await starting.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        }
        catch (OperationCanceledException)
        {
        }
        catch (DistributedApplicationException)
        {
        }
    }

    [Fact]
    public async Task after_dispose_no_process_the_app_started_is_alive_and_its_state_is_gone()
    {
        var builder = TestApps.CreateBuilder();
        var state = builder.State();
        var postgres = builder.AddPostgresProcess("postgres", state);
        var db = postgres.AddDatabase("catalogdb");
        var cache = builder.AddRedisProcess("cache", state);
        var messaging = builder.AddRabbitMQProcess("messaging", state);
        builder.AddProject<Projects.Catalog>("catalog").FromBuildOutput().WithReference(db).WaitFor(db).WithReference(cache).WaitFor(cache)
            .WithReference(messaging).WaitFor(messaging)
            .WithReplicas(2).WithHttpHealthCheck("/health");
        var app = await builder.BuildAsync(Ct);
        await app.StartAsync(Ct).WaitAsync(ShopAppFixture.StartTimeout, Ct);
        await Task.WhenAll(new[] { "postgres", "catalogdb", "cache", "messaging", "catalog" }
            .Select(r => app.ResourceNotifications.WaitForResourceHealthyAsync(r, Ct)))
            .WaitAsync(ShopAppFixture.StartTimeout, Ct);

        var started = (await app.SnapshotsAsync(Ct)).Select(e => e.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value)
            .OfType<object>().Select(pid => Convert.ToInt32(pid, global::System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(5, started.Count); // postgres, redis, rabbitmq, 2 catalog replicas
        var family = started.SelectMany(Runtime.ProcessTree.WithDescendants).ToList();
        Assert.True(family.Count > started.Count, "postgres and rabbitmq run helper processes");
        // Erlang's port mapper runs on this app's own port, under RabbitMQ's script (the node would start it as a daemon).
        var epmd = AllProcesses().Select(p => p.Pid).Where(pid => IsPortMapperOf(pid, state)).ToList();
        Assert.Single(epmd);
        Assert.Contains(epmd[0], family);
        Assert.True(Directory.Exists(state));

        var watch = Stopwatch.StartNew();
        await app.DisposeAsync();
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"stopping took {watch.Elapsed}");

        // DCP ends the processes as the app goes; a process may take a moment more to be gone.
        var gone = Stopwatch.StartNew();
        List<string> alive;
        while ((alive = [.. family.Where(pid => File.Exists($"/proc/{pid}/stat") && !IsZombie(pid)).Select(Describe)]).Count > 0
               && gone.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), Ct);
        }
        Assert.Empty(alive);
        Assert.False(Directory.Exists(state), "a test instance removes its state directory");
    }

    private static bool IsPortMapperOf(int pid, string state)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim() == "epmd"
                && File.ReadAllText($"/proc/{pid}/environ").Split('\0').Contains($"HOME={Path.Combine(state, "messaging")}");
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static string Describe(int pid)
    {
        try
        {
            return $"{pid} {File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ')}";
        }
        catch (IOException)
        {
            return $"{pid} (gone)";
        }
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
