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
        var builder = DistributedApplicationTestingBuilder.Create();
        var identityDb = builder.AddPostgres("postgres").AddDatabase("identitydb");
        var cache = builder.AddRedis("cache");
        // Identity publishes UserRegistered through its outbox: it needs the broker to start.
        var messaging = builder.AddRabbitMQ("messaging");
        var identity = builder.AddProject<Projects.Identity>("identity").WithReference(identityDb).WaitFor(identityDb)
            .WithReference(messaging).WaitFor(messaging).WithHttpHealthCheck("/health");
        builder.AddProject<Projects.Gateway>("gateway").WithReference(cache).WaitFor(cache).WithReference(identity).WaitFor(identity)
            .WithHttpHealthCheck("/health");
        await using var app = await builder.BuildAsync(Ct);
        await app.StartAsync(Ct);
        await Task.WhenAll(new[] { "identity", "gateway" }.Select(r => app.ResourceNotifications.WaitForResourceHealthyAsync(r, Ct)))
            .WaitAsync(ShopAppFixture.StartTimeout, Ct);
        using var gateway = app.CreateHttpClient("gateway");
        var (email, token) = await ShopClient.NewCustomerAsync(gateway, Ct);
        var summaryBefore = await SummaryAsync(gateway, token.AccessToken);
        Assert.Equal(email, summaryBefore.Body.GetProperty("profile").GetProperty("email").GetString());
        var identityAddress = app.GetEndpoint("identity");

        var stop = await app.ResourceCommands.ExecuteCommandAsync("identity", KnownResourceCommands.StopCommand, Ct);
        Assert.True(stop.Success, stop.ErrorMessage);
        Assert.True(app.ResourceNotifications.TryGetCurrentState("identity", out var stopped));
        Assert.Equal(KnownResourceStates.Exited, stopped.State);
        Assert.All(stopped.Replicas, r => Assert.False(Process.GetProcesses().Any(p => p.Id == r.ProcessId), $"identity replica {r.ProcessId} still runs"));

        var degraded = await SummaryAsync(gateway, token.AccessToken);
        Assert.True(degraded.Elapsed < TimeSpan.FromSeconds(3), $"the summary took {degraded.Elapsed} with identity stopped");
        Assert.Equal(JsonValueKind.Null, degraded.Body.GetProperty("profile").ValueKind);
        Assert.Contains(degraded.Body.GetProperty("unavailable").EnumerateArray(), p => p.GetProperty("part").GetString() == "profile");

        var start = await app.ResourceCommands.ExecuteCommandAsync("identity", KnownResourceCommands.StartCommand, Ct);
        Assert.True(start.Success, start.ErrorMessage);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("identity", Ct).WaitAsync(TimeSpan.FromSeconds(60), Ct);
        Assert.Equal(identityAddress, app.GetEndpoint("identity"));

        var recovered = await SummaryWithProfileAsync(gateway, token.AccessToken);
        Assert.Equal(email, recovered.Body.GetProperty("profile").GetProperty("email").GetString());
        Assert.DoesNotContain(recovered.Body.GetProperty("unavailable").EnumerateArray(), p => p.GetProperty("part").GetString() == "profile");

        // Restart: the old process's exit, reported late, must not be taken for a crash of the new one.
        Assert.True(app.ResourceNotifications.TryGetCurrentState("identity", out var beforeRestart));
        var oldPid = Assert.Single(beforeRestart.Replicas).ProcessId!.Value;
        var restart = await app.ResourceCommands.ExecuteCommandAsync("identity", KnownResourceCommands.RestartCommand, Ct);
        Assert.True(restart.Success, restart.ErrorMessage);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("identity", Ct).WaitAsync(TimeSpan.FromSeconds(60), Ct);
        var afterRestart = await SummaryWithProfileAsync(gateway, token.AccessToken);
        Assert.Equal(email, afterRestart.Body.GetProperty("profile").GetProperty("email").GetString());
        Assert.True(app.ResourceNotifications.TryGetCurrentState("identity", out var restarted));
        Assert.Equal((KnownResourceStates.Running, ResourceHealthStatus.Healthy), (restarted.State, restarted.HealthStatus));
        Assert.NotEqual(oldPid, Assert.Single(restarted.Replicas).ProcessId);
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
