using Microsoft.Extensions.Diagnostics.HealthChecks;
using Shop.AppHost;
using Shop.AppHost.Servers;
using System.Text.Json;
using System.Diagnostics;
using System.Net;

namespace Shop.Tests.Edge;

/// <summary>
/// Parts of the system stopped on purpose, on an app model of its own (stopping identity in the shared system would
/// pull the floor from under the other tests): the gateway's summary degrades by name, and a restarted service keeps
/// its address.
/// </summary>
public sealed class StoppedPartTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task with_identity_stopped_the_summary_answers_within_its_deadline_naming_the_profile_and_recovers_after_start_and_restart()
    {
        var builder = TestApps.CreateBuilder();
        var identityDb = builder.AddPostgresProcess("postgres", builder.State()).AddDatabase("identitydb");
        var cache = builder.AddRedisProcess("cache", builder.State());
        // Identity publishes UserRegistered through its outbox: it needs the broker to start.
        var messaging = builder.AddRabbitMQProcess("messaging", builder.State());
        var identity = builder.AddProject<Projects.Identity>("identity").FromBuildOutput().WithReference(identityDb).WaitFor(identityDb)
            .WithReference(messaging).WaitFor(messaging).WithHttpHealthCheck("/health");
        builder.AddProject<Projects.Gateway>("gateway").FromBuildOutput().WithReference(cache).WaitFor(cache).WithReference(identity).WaitFor(identity)
            .WithHttpHealthCheck("/health");
        await using var app = await builder.BuildAsync(Ct);
        await app.StartAsync(Ct).WaitAsync(ShopAppFixture.StartTimeout, Ct);
        await Task.WhenAll(new[] { "identity", "gateway" }.Select(r => app.ResourceNotifications.WaitForResourceHealthyAsync(r, Ct)))
            .WaitAsync(ShopAppFixture.StartTimeout, Ct);
        using var gateway = app.CreateHttpClient("gateway");
        var (email, token) = await ShopClient.NewCustomerAsync(gateway, Ct);
        var summaryBefore = await SummaryAsync(gateway, token.AccessToken);
        Assert.Equal(email, summaryBefore.Body.GetProperty("profile").GetProperty("email").GetString());
        var identityAddress = app.GetEndpoint("identity");
        var identityPids = await app.ProcessIdsOfAsync("identity", Ct);
        Assert.Single(identityPids);

        var stop = await app.ResourceCommands.ExecuteCommandAsync("identity", KnownResourceCommands.StopCommand, Ct);
        Assert.True(stop.Success, stop.Message);
        var stopped = await app.ResourceNotifications.WaitForResourceAsync("identity", e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), Ct)
            .WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.Contains(stopped.Snapshot.State?.Text, new[] { KnownResourceStates.Exited, KnownResourceStates.Finished });
        Assert.DoesNotContain(Process.GetProcesses(), p => p.ProcessName == "dotnet" && File.Exists($"/proc/{p.Id}/cmdline")
            && File.ReadAllText($"/proc/{p.Id}/cmdline").Contains("Identity.dll", StringComparison.Ordinal) && identityPids.Contains(p.Id));

        var degraded = await SummaryAsync(gateway, token.AccessToken);
        Assert.True(degraded.Elapsed < TimeSpan.FromSeconds(3), $"the summary took {degraded.Elapsed} with identity stopped");
        Assert.Equal(JsonValueKind.Null, degraded.Body.GetProperty("profile").ValueKind);
        Assert.Contains(degraded.Body.GetProperty("unavailable").EnumerateArray(), p => p.GetProperty("part").GetString() == "profile");

        var start = await app.ResourceCommands.ExecuteCommandAsync("identity", KnownResourceCommands.StartCommand, Ct);
        Assert.True(start.Success, start.Message);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("identity", Ct).WaitAsync(TimeSpan.FromSeconds(60), Ct);
        Assert.Equal(identityAddress, app.GetEndpoint("identity"));

        var recovered = await SummaryWithProfileAsync(gateway, token.AccessToken);
        Assert.Equal(email, recovered.Body.GetProperty("profile").GetProperty("email").GetString());
        Assert.DoesNotContain(recovered.Body.GetProperty("unavailable").EnumerateArray(), p => p.GetProperty("part").GetString() == "profile");

        // Restart: the old process's exit, reported late, must not be taken for a crash of the new one.
        var oldPid = Assert.Single(await app.ProcessIdsOfAsync("identity", Ct));
        var restart = await app.ResourceCommands.ExecuteCommandAsync("identity", KnownResourceCommands.RestartCommand, Ct);
        Assert.True(restart.Success, restart.Message);
        try
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync("identity", Ct).WaitAsync(TimeSpan.FromSeconds(60), Ct);
        }
        catch (Exception ex) when (ex is DistributedApplicationException or TimeoutException)
        {
            // Once seen in a CI run under load ("failed to start" after the restart): say what identity wrote.
            var lines = await app.LogLinesAsync("identity", Ct);
            Assert.Fail($"identity did not come back after the restart: {ex.Message}{Environment.NewLine}{string.Join(Environment.NewLine, lines.TakeLast(40))}");
        }
        var afterRestart = await SummaryWithProfileAsync(gateway, token.AccessToken);
        Assert.Equal(email, afterRestart.Body.GetProperty("profile").GetProperty("email").GetString());
        var restarted = Assert.Single(await app.SnapshotsAsync(Ct), e => e.Resource.Name == "identity");
        Assert.Equal((KnownResourceStates.Running, (HealthStatus?)HealthStatus.Healthy), (restarted.Snapshot.State?.Text, restarted.Snapshot.HealthStatus));
        Assert.NotEqual(oldPid, Assert.Single(await app.ProcessIdsOfAsync("identity", Ct)));
        Assert.False(File.Exists($"/proc/{oldPid}/cmdline") && File.ReadAllText($"/proc/{oldPid}/cmdline").Contains("Identity.dll"), "the old process still runs");
    }

    /// <summary>
    /// The summary once its profile is back: a just-started identity answers its first requests slowly (JIT, first
    /// query), possibly past the part's deadline, so recovery is awaited with a deadline of its own.
    /// </summary>
    private static async Task<(JsonElement Body, TimeSpan Elapsed)> SummaryWithProfileAsync(HttpClient gateway, string token)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var summary = await SummaryAsync(gateway, token);
            if (summary.Body.GetProperty("profile").ValueKind == JsonValueKind.Object || DateTime.UtcNow > deadline)
            {
                return summary;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(250), Ct);
        }
    }

    private static async Task<(JsonElement Body, TimeSpan Elapsed)> SummaryAsync(HttpClient gateway, string token)
    {
        var watch = Stopwatch.StartNew();
        using var response = await gateway.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/me/summary").With(token), Ct);
        watch.Stop();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync(Ct), watch.Elapsed);
    }
}
