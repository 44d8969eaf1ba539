using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Shop.Tests.Edge;

namespace Shop.Tests.Notification;

/// <summary>
/// identity → outbox → RabbitMQ → notification, end to end through the gateway: registering is announced, the
/// notification service files a welcome and sends it, and the inbox belongs to its owner alone.
/// </summary>
public sealed class NotificationTests(ShopAppFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private HttpClient Gateway => fixture.Gateway;

    [Fact]
    public async Task a_new_user_gets_one_sent_welcome_that_reading_takes_off_the_unread_count_and_only_its_owner_can_read()
    {
        var (email, token) = await ShopClient.NewCustomerAsync(Gateway, Ct);

        // Sent, not just filed: the local send queue and the simulated sender ran too.
        var page = await PollInboxAsync(token.AccessToken, p => p.GetProperty("items").EnumerateArray()
            .Any(n => n.GetProperty("sentAt").ValueKind == JsonValueKind.String));
        Assert.Equal((1, 20, 1), (page.GetProperty("page").GetInt32(), page.GetProperty("pageSize").GetInt32(), page.GetProperty("total").GetInt32()));
        var welcome = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal("welcome", welcome.GetProperty("kind").GetString());
        Assert.Equal("Welcome to Shop", welcome.GetProperty("subject").GetString());
        Assert.StartsWith("Hi Test User,", welcome.GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.Contains(email, welcome.GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, welcome.GetProperty("readAt").ValueKind);
        var id = welcome.GetProperty("id").GetGuid();
        Assert.Equal(1, await UnreadCountAsync(token.AccessToken));

        var (_, stranger) = await ShopClient.NewCustomerAsync(Gateway, Ct);
        using (var theirs = await Gateway.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/v1/notifications/{id}/read").With(stranger.AccessToken), Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
            Assert.Equal("application/problem+json", theirs.Content.Headers.ContentType?.MediaType);
            Assert.Equal(404, (await theirs.JsonAsync(Ct)).GetProperty("status").GetInt32());
        }
        Assert.Equal(1, await UnreadCountAsync(token.AccessToken));

        using (var read = await Gateway.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/v1/notifications/{id}/read").With(token.AccessToken), Ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, read.StatusCode);
        }
        Assert.Equal(0, await UnreadCountAsync(token.AccessToken));
        var after = Assert.Single((await InboxAsync(token.AccessToken)).GetProperty("items").EnumerateArray());
        var readAt = after.GetProperty("readAt").GetDateTimeOffset();

        // Reading again changes nothing, and the first time stays.
        using (var again = await Gateway.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/v1/notifications/{id}/read").With(token.AccessToken), Ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        }
        var still = Assert.Single((await InboxAsync(token.AccessToken)).GetProperty("items").EnumerateArray());
        Assert.Equal(readAt, still.GetProperty("readAt").GetDateTimeOffset());

        // The gateway's summary reads the same count.
        using var summary = await Gateway.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/me/summary").With(token.AccessToken), Ct);
        var body = await summary.JsonAsync(Ct);
        Assert.Equal(0, body.GetProperty("unreadNotifications").GetInt32());
        Assert.DoesNotContain(body.GetProperty("unavailable").EnumerateArray(), p => p.GetProperty("part").GetString() == "notifications");
    }

    [Fact]
    public async Task the_welcome_is_stored_once_sent_once_and_a_profile_change_reaches_the_recipient_directory()
    {
        var (email, token) = await ShopClient.NewCustomerAsync(Gateway, Ct);
        Guid userId;
        using (var me = await Gateway.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/users/me").With(token.AccessToken), Ct))
        {
            userId = (await me.JsonAsync(Ct)).GetProperty("id").GetGuid();
        }
        await using var db = new NpgsqlConnection(await fixture.App.GetConnectionStringAsync("notificationdb", Ct));
        await db.OpenAsync(Ct);

        var stored = await PollAsync(() => QueryAsync(db,
            """SELECT "Kind", "SourceKey", "SentAt" IS NOT NULL, "Attempts" FROM "Notifications" WHERE "UserId" = @id""", userId,
            r => (Kind: r.GetString(0), SourceKey: r.GetString(1), Sent: r.GetBoolean(2), Attempts: r.GetInt32(3))),
            rows => rows.Any(r => r.Sent));
        var welcome = Assert.Single(stored);
        Assert.Equal(("welcome", $"welcome:{userId}"), (welcome.Kind, welcome.SourceKey));
        Assert.True(welcome.Attempts >= 1, $"attempts {welcome.Attempts}");
        var recipient = Assert.Single(await QueryAsync(db,
            """SELECT "Email", "DisplayName" FROM "Recipients" WHERE "UserId" = @id""", userId, r => (r.GetString(0), r.GetString(1))));
        Assert.Equal((email, "Test User"), recipient);

        using var put = new HttpRequestMessage(HttpMethod.Put, "/api/v1/users/me") { Content = JsonContent.Create(new { displayName = "Renamed User" }) };
        using var changed = await Gateway.SendAsync(put.With(token.AccessToken), Ct);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);

        var names = await PollAsync(() => QueryAsync(db,
            """SELECT "DisplayName" FROM "Recipients" WHERE "UserId" = @id""", userId, r => r.GetString(0)),
            rows => rows.SequenceEqual(["Renamed User"]));
        Assert.Equal(["Renamed User"], names);
        // A profile change is not something to notify about.
        Assert.Equal(1, await UnreadCountAsync(token.AccessToken));
    }

    [Theory]
    [InlineData("GET", "/api/v1/notifications")]
    [InlineData("GET", "/api/v1/notifications/unread-count")]
    [InlineData("POST", "/api/v1/notifications/0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b/read")]
    public async Task without_a_token_the_inbox_is_a_401_problem_at_the_gateway_and_at_the_service(string method, string path)
    {
        using var notification = fixture.App.CreateHttpClient("notification");
        foreach (var client in new[] { Gateway, notification })
        {
            using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Ct);

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(401, (await response.JsonAsync(Ct)).GetProperty("status").GetInt32());
        }
    }

    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("page=abc", "page")]
    [InlineData("pageSize=101", "pageSize")]
    [InlineData("pageSize=x&page=1", "pageSize")]
    public async Task bad_paging_is_a_400_problem_naming_the_field(string query, string field)
    {
        var (_, token) = await ShopClient.NewCustomerAsync(Gateway, Ct);

        using var response = await Gateway.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/notifications?{query}").With(token.AccessToken), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.JsonAsync(Ct)).GetProperty("errors");
        Assert.Equal([field], errors.EnumerateObject().Select(e => e.Name));
    }

    [Fact]
    public async Task marking_an_unknown_notification_read_is_a_404_problem()
    {
        var (_, token) = await ShopClient.NewCustomerAsync(Gateway, Ct);

        using var response = await Gateway.SendAsync(
            new HttpRequestMessage(HttpMethod.Post, $"/api/v1/notifications/{Guid.NewGuid()}/read").With(token.AccessToken), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Notification not found", (await response.JsonAsync(Ct)).GetProperty("title").GetString());
    }

    private async Task<JsonElement> InboxAsync(string accessToken)
    {
        using var response = await Gateway.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/notifications").With(accessToken), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync(Ct);
    }

    private Task<JsonElement> PollInboxAsync(string accessToken, Func<JsonElement, bool> done) =>
        PollAsync(() => InboxAsync(accessToken), done);

    private async Task<int> UnreadCountAsync(string accessToken)
    {
        using var response = await Gateway.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/notifications/unread-count").With(accessToken), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync(Ct)).GetProperty("count").GetInt32();
    }

    /// <summary>Asks again until <paramref name="done"/> holds; past the deadline, fails showing the last answer.</summary>
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
            Assert.True(watch.Elapsed < Deadline, $"not there after {Deadline.TotalSeconds} s; last: {Describe(last)}");
            await Task.Delay(TimeSpan.FromMilliseconds(200), Ct);
        }
    }

    private static string Describe(object? value) => value switch
    {
        JsonElement json => json.ToString(),
        global::System.Collections.IEnumerable rows and not string => $"[{string.Join(", ", rows.Cast<object>())}]",
        _ => $"{value}",
    };

    private static async Task<List<T>> QueryAsync<T>(NpgsqlConnection db, string sql, Guid userId, Func<NpgsqlDataReader, T> read)
    {
        await using var command = new NpgsqlCommand(sql, db);
        command.Parameters.AddWithValue("id", userId);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(Ct))
        {
            rows.Add(read(reader));
        }
        return rows;
    }
}
