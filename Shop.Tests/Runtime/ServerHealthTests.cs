using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Shop.AppHost.Servers;

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
        var builder = TestApps.CreateBuilder();
        builder.AddPostgresProcess("postgres", builder.State()).AddDatabase("healthdb");
        builder.AddRabbitMQProcess("messaging", builder.State());
        await using var app = await builder.BuildAsync(Ct);
        await app.StartAsync(Ct).WaitAsync(ShopAppFixture.StartTimeout, Ct);
        await Task.WhenAll(new[] { "postgres", "healthdb", "messaging" }.Select(r => app.ResourceNotifications.WaitForResourceHealthyAsync(r, Ct)))
            .WaitAsync(ShopAppFixture.StartTimeout, Ct);

        // The server's and the database's checks share one PostgreSQL backend, the same one check after check: no new
        // connection (fork, SCRAM) per check.
        await using (var db = new NpgsqlConnection(await app.GetConnectionStringAsync("healthdb", Ct)))
        {
            await db.OpenAsync(Ct);
            var first = await HealthBackendsAsync(db);
            Assert.Single(first);
            await Task.WhenAll(ChecksRunAsync(app, "postgres"), ChecksRunAsync(app, "healthdb"));
            Assert.Equal(first, await HealthBackendsAsync(db));
        }

        foreach (var (resource, server) in new[] { ("healthdb", "postgres"), ("messaging", "messaging") })
        {
            var processes = (await app.ProcessIdsOfAsync(server, Ct)).SelectMany(ProcessTree.WithDescendants).ToList();
            ProcessTree.Signal(processes, "STOP");
            try
            {
                var unhealthy = await app.ResourceNotifications.WaitForResourceAsync(resource,
                    e => e.Snapshot.HealthStatus == HealthStatus.Unhealthy, Ct).WaitAsync(AfterNextCheck, Ct);
                Assert.Equal(KnownResourceStates.Running, unhealthy.Snapshot.State);
            }
            finally
            {
                ProcessTree.Signal(processes, "CONT");
            }
            await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        }
    }

    /// <summary>Aspire checks a healthy resource every 30 s (an unhealthy one every 1 to 5 s); a check times out after 5 s.</summary>
    private static readonly TimeSpan AfterNextCheck = TimeSpan.FromSeconds(50);

    /// <summary>Waits until the resource's health has been checked once more.</summary>
    private static async Task ChecksRunAsync(DistributedApplication app, string resource)
    {
        var now = await app.ResourceNotifications.WaitForResourceAsync(resource, e => e.Snapshot.HealthReports.Any(r => r.LastRunAt is not null), Ct);
        var last = now.Snapshot.HealthReports.Max(r => r.LastRunAt);
        await app.ResourceNotifications.WaitForResourceAsync(resource, e => e.Snapshot.HealthReports.Any(r => r.LastRunAt > last), Ct)
            .WaitAsync(AfterNextCheck, Ct);
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
