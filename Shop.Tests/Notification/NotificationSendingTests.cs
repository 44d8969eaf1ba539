using Shop.AppHost;
using Shop.AppHost.Servers;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Npgsql;
using Shop.Tests.Edge;

namespace Shop.Tests.Notification;

/// <summary>
/// The simulated sender's failure knob, on an app model of its own (a sender that always fails would spoil the shared
/// system): a failing send is retried, then dead-lettered where it can be replayed, and the notification stays in the
/// inbox, unsent.
/// </summary>
public sealed class NotificationSendingTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task with_a_sender_that_always_fails_the_welcome_is_filed_unsent_and_its_send_is_dead_lettered_after_the_retries()
    {
        var builder = TestApps.CreateBuilder();
        var postgres = builder.AddPostgresProcess("postgres", builder.State());
        var identityDb = postgres.AddDatabase("identitydb");
        var notificationDb = postgres.AddDatabase("notificationdb");
        var messaging = builder.AddRabbitMQProcess("messaging", builder.State());
        var identity = builder.AddProject<Projects.Identity>("identity").FromBuildOutput().WithReference(identityDb).WaitFor(identityDb)
            .WithReference(messaging).WaitFor(messaging).WithHttpHealthCheck("/health");
        builder.AddProject<Projects.Notification>("notification").FromBuildOutput().WithReference(notificationDb).WaitFor(notificationDb)
            .WithReference(messaging).WaitFor(messaging).WithReference(identity)
            .WithEnvironment("Notification__Sender__FailureRate", "1")
            .WithHttpHealthCheck("/health");
        await using var app = await builder.BuildAsync(Ct);
        await app.StartAsync(Ct).WaitAsync(ShopAppFixture.StartTimeout, Ct);
        await Task.WhenAll(new[] { "identity", "notification" }.Select(r => app.ResourceNotifications.WaitForResourceHealthyAsync(r, Ct)))
            .WaitAsync(ShopAppFixture.StartTimeout, Ct);
        using var identityClient = app.CreateHttpClient("identity");
        using var notificationClient = app.CreateHttpClient("notification");
        var (_, token) = await ShopClient.NewCustomerAsync(identityClient, Ct);

        await using var db = new NpgsqlConnection(await app.GetConnectionStringAsync("notificationdb", Ct));
        await db.OpenAsync(Ct);
        // Each attempt logs the refusal, so the last of the retries has happened once the send is dead-lettered.
        var deadLetters = await PollAsync(() => ScalarAsync<long>(db,
            "SELECT count(*) FROM wolverine.wolverine_dead_letters WHERE message_type LIKE '%SendNotification'"), n => n > 0);
        Assert.Equal(1, deadLetters);
        var refusals = (await app.LogLinesAsync("notification", Ct)).Count(l => l.Contains("was refused by the provider", StringComparison.Ordinal));
        Assert.True(refusals >= 2, $"the send was tried {refusals} time(s); the retry policy should try again");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/notifications").With(token.AccessToken);
        using var response = await notificationClient.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var welcome = Assert.Single((await response.JsonAsync(Ct)).GetProperty("items").EnumerateArray());
        Assert.Equal("welcome", welcome.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, welcome.GetProperty("sentAt").ValueKind);
        Assert.Equal(0, await ScalarAsync<int>(db, """SELECT "Attempts" FROM "Notifications" WHERE "Kind" = 'welcome'"""));
    }

    private static async Task<T> PollAsync<T>(Func<Task<T>> ask, Func<T, bool> done)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var last = await ask();
            if (done(last))
            {
                return last;
            }
            Assert.True(watch.Elapsed < Deadline, $"not there after {Deadline.TotalSeconds} s; last: {last}");
            await Task.Delay(TimeSpan.FromMilliseconds(200), Ct);
        }
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection db, string sql)
    {
        await using var command = new NpgsqlCommand(sql, db);
        return (T)(await command.ExecuteScalarAsync(Ct))!;
    }
}
