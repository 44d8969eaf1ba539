using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shop.AppHost.Runtime;

namespace Shop.Tests.Runtime;

/// <summary>
/// The AppHost's health checks of its servers, on an app model of its own (stalling the shared system's servers would
/// stall every other test): they keep their connections between checks, and still see a server that stops answering.
/// </summary>
public sealed class ServerHealthTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task server_checks_keep_their_connection_and_report_a_stalled_server_unhealthy_until_it_answers_again()
    {
        var builder = DistributedApplicationTestingBuilder.Create();
        builder.AddPostgres("postgres").AddDatabase("healthdb");
        builder.AddRabbitMQ("messaging");
        await using var app = await builder.BuildAsync(Ct);
        await app.StartAsync(Ct);
        await Task.WhenAll(new[] { "postgres", "healthdb", "messaging" }.Select(r => app.ResourceNotifications.WaitForResourceHealthyAsync(r, Ct)))
            .WaitAsync(ShopAppFixture.StartTimeout, Ct);
        var orchestrator = app.Services.GetRequiredService<Orchestrator>();

        // The server's and the database's checks share one PostgreSQL backend, the same one check after check: no new
        // connection (fork, SCRAM) per check.
        await using (var db = new NpgsqlConnection(await app.GetConnectionStringAsync("healthdb", Ct)))
        {
            await db.OpenAsync(Ct);
            var first = await HealthBackendsAsync(db);
            Assert.Single(first);
            await ChecksRunAsync(app, "postgres", 2);
            await ChecksRunAsync(app, "healthdb", 2);
            Assert.Equal(first, await HealthBackendsAsync(db));
        }

        foreach (var (resource, server) in new[] { ("healthdb", "postgres"), ("messaging", "messaging") })
        {
            var processes = orchestrator.ProcessIdsOf(server).SelectMany(ProcessTree.WithDescendants).ToList();
            ProcessTree.Signal(processes, "STOP");
            try
            {
                var unhealthy = await app.ResourceNotifications.WaitForResourceAsync(resource,
                    e => e.Snapshot.HealthStatus == ResourceHealthStatus.Unhealthy, Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
                Assert.Equal(KnownResourceStates.Running, unhealthy.Snapshot.State);
            }
            finally
            {
                ProcessTree.Signal(processes, "CONT");
            }
            await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        }
    }

    [Fact]
    public async Task a_check_in_flight_when_the_apphost_stops_is_not_reported()
    {
        var builder = DistributedApplicationTestingBuilder.Create();
        builder.AddRedis("cache");
        await using var app = await builder.BuildAsync(Ct);
        await app.StartAsync(Ct);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("cache", Ct).WaitAsync(ShopAppFixture.StartTimeout, Ct);
        var orchestrator = app.Services.GetRequiredService<Orchestrator>();
        var redis = orchestrator.ProcessIdsOf("cache").SelectMany(ProcessTree.WithDescendants).ToList();

        // A stalled Redis holds each check for its 3 s timeout on a connection of its own; the AppHost stops while one
        // is open (the only client connected to Redis in this app model).
        var port = int.Parse((await app.GetConnectionStringAsync("cache", Ct))!.Split(',')[0].Split(':')[1], CultureInfo.InvariantCulture);
        ProcessTree.Signal(redis, "STOP");
        DateTimeOffset stopping;
        var continued = false;
        try
        {
            await app.ResourceNotifications.WaitForResourceAsync("cache",
                e => e.Snapshot.HealthStatus == ResourceHealthStatus.Unhealthy, Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
            var waiting = Stopwatch.StartNew();
            while (!ConnectedTo(port))
            {
                Assert.True(waiting.Elapsed < TimeSpan.FromSeconds(10), "no health check of the stalled Redis was in flight");
                await Task.Delay(TimeSpan.FromMilliseconds(20), Ct);
            }
            stopping = DateTimeOffset.UtcNow;
            var stop = app.StopAsync(Ct);
            // Redis answers again only once the stop has cut the check short (its socket closed), or its 3 s are up.
            while (ConnectedTo(port))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), Ct);
            }
            ProcessTree.Signal(redis, "CONT");
            continued = true;
            await stop.WaitAsync(TimeSpan.FromSeconds(60), Ct);
        }
        finally
        {
            if (!continued)
            {
                ProcessTree.Signal(redis, "CONT");
            }
        }

        // The cancelled check was caught as "Unhealthy: the operation was canceled" and reported as a fresh verdict.
        Assert.True(app.ResourceNotifications.TryGetCurrentState("cache", out var last));
        Assert.NotEmpty(last.HealthReports);
        Assert.All(last.HealthReports, r => Assert.True(r.LastRun < stopping,
            $"a health report from {r.LastRun:HH:mm:ss.fff}, after the AppHost began stopping at {stopping:HH:mm:ss.fff}: {r.Description}"));
    }

    /// <summary>
    /// Whether a client socket on this machine is connected to 127.0.0.1:<paramref name="port"/>: in <c>/proc/net/tcp</c>,
    /// or in <c>tcp6</c> as ::ffff:127.0.0.1 (a TcpClient's socket is dual-mode IPv6).
    /// </summary>
    private static bool ConnectedTo(int port)
    {
        var remote = $"0100007F:{port:X4}";
        // Columns: sl, local address, remote address, state (01 = ESTABLISHED), ...
        return new[] { "/proc/net/tcp", "/proc/net/tcp6" }.Where(File.Exists)
            .SelectMany(file => File.ReadLines(file).Skip(1))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Any(f => f[2].EndsWith(remote, StringComparison.Ordinal) && f[3] == "01");
    }

    /// <summary>Waits until the resource's health has been checked <paramref name="count"/> more times.</summary>
    private static async Task ChecksRunAsync(DistributedApplication app, string resource, int count)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.True(app.ResourceNotifications.TryGetCurrentState(resource, out var now));
            var last = now.HealthReports.Max(r => r.LastRun);
            await app.ResourceNotifications.WaitForResourceAsync(resource, e => e.Snapshot.HealthReports.Any(r => r.LastRun > last), Ct)
                .WaitAsync(TimeSpan.FromSeconds(30), Ct);
        }
    }

    /// <summary>The backend process ids of the AppHost's health-check connections (its application name).</summary>
    private static async Task<List<int>> HealthBackendsAsync(NpgsqlConnection db)
    {
        await using var cmd = new NpgsqlCommand("SELECT pid FROM pg_stat_activity WHERE application_name = 'apphost-health' ORDER BY pid", db);
        var pids = new List<int>();
        await using var reader = await cmd.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            pids.Add(reader.GetInt32(0));
        }
        return pids;
    }
}
