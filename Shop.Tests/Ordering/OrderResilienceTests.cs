using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shop.AppHost;
using Shop.AppHost.Servers;
using Shop.Tests.Edge;
using Shop.Tests.Runtime;
using StackExchange.Redis;

namespace Shop.Tests.Ordering;

public sealed class OrderResilienceTests(OrderResilienceApp system) : IClassFixture<OrderResilienceApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A product seeded by catalog, with stock seeded by inventory.</summary>
    private const int SeededProduct = 1;

    private static object Body(string? paymentToken = null) =>
        new { items = new[] { new { productId = SeededProduct, quantity = 1 } }, shippingAddress = OrderFlow.Address(), paymentToken };

    private async Task<string> CustomerAsync()
    {
        using var identity = system.App.CreateHttpClient("identity");
        return (await ShopClient.NewCustomerAsync(identity, Ct)).Token.AccessToken;
    }

    [Fact]
    public async Task with_catalog_stopped_placing_an_order_answers_503_with_retry_after_in_under_a_second_and_works_again_after_restart()
    {
        var customer = await CustomerAsync();
        using var ordering = system.App.CreateHttpClient("ordering");
        var stop = await system.App.ResourceCommands.ExecuteCommandAsync("catalog", KnownResourceCommands.StopCommand, Ct);
        Assert.True(stop.Success, stop.Message);
        var key = Guid.NewGuid().ToString();

        var timings = new List<TimeSpan>();
        try
        {
            for (var attempt = 0; attempt < 4; attempt++)
            {
                var watch = Stopwatch.StartNew();
                using var response = await ordering.SendAsync(OrderFlow.PlaceRequest(customer, key, Body()), Ct);
                timings.Add(watch.Elapsed);
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.True(response.Headers.RetryAfter?.Delta is { } delta && delta >= TimeSpan.FromSeconds(1), "Retry-After in seconds");
            }
        }
        finally
        {
            // Started again whatever happened: the class's other tests need catalog.
            var start = await system.App.ResourceCommands.ExecuteCommandAsync("catalog", KnownResourceCommands.StartCommand, Ct);
            Assert.True(start.Success, start.Message);
            await system.App.ResourceNotifications.WaitForResourceHealthyAsync("catalog", Ct).WaitAsync(TimeSpan.FromSeconds(90), Ct);
        }
        // The first calls find catalog gone and may last until the pricing client's total timeout (5 s), plus the
        // request's own work on a busy machine (a fresh-clone CI run measured 6.1 s); once the breaker is open, calls
        // fail at once.
        Assert.All(timings, t => Assert.True(t < TimeSpan.FromSeconds(7.5), $"a call took {t}: past the pricing client's total timeout"));
        Assert.All(timings.Skip(2), t => Assert.True(t < TimeSpan.FromSeconds(1), $"with the breaker open a call took {t}"));

        // The client retries with the same key, as the 503 told it to, and the order goes through once the breaker closes.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        HttpStatusCode status;
        do
        {
            using var retry = await ordering.SendAsync(OrderFlow.PlaceRequest(customer, key, Body()), Ct);
            status = retry.StatusCode;
            if (status != HttpStatusCode.Accepted)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), Ct);
            }
        }
        while (status != HttpStatusCode.Accepted && DateTime.UtcNow < deadline);
        Assert.Equal(HttpStatusCode.Accepted, status);
    }

    [Fact]
    public async Task with_redis_stalled_an_order_is_still_placed_once_and_its_replay_answered_from_the_database()
    {
        var customer = await CustomerAsync();
        using var ordering = system.App.CreateHttpClient("ordering");
        var redis = (await system.App.ProcessIdsOfAsync("cache", Ct)).Single();
        var key = Guid.NewGuid().ToString();

        // A stopped (not dead) Redis: every call waits out the client's timeout instead of failing at once, which is what
        // a Redis starved of CPU looks like. Idempotency's fast path must give up and fall back to the database.
        Shop.Tests.Runtime.ProcessTree.Signal([redis], "STOP");
        Guid id;
        try
        {
            using (var first = await ordering.SendAsync(OrderFlow.PlaceRequest(customer, key, Body()), Ct))
            {
                var text = await first.Content.ReadAsStringAsync(Ct);
                Assert.True(first.StatusCode == HttpStatusCode.Accepted, $"{(int)first.StatusCode}: {text}");
                id = global::System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
            }
            using var replay = await ordering.SendAsync(OrderFlow.PlaceRequest(customer, key, Body()), Ct);
            Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
            Assert.Equal("true", Assert.Single(replay.Headers.GetValues("Idempotent-Replayed")));
            Assert.Equal(id, (await replay.Content.ReadFromJsonAsync<global::System.Text.Json.JsonElement>(Ct)).GetProperty("id").GetGuid());
        }
        finally
        {
            Shop.Tests.Runtime.ProcessTree.Signal([redis], "CONT");
        }
        var order = await OrderFlow.OrderAsync(ordering, customer, id, Ct);
        Assert.Equal("Completed", order.GetProperty("status").GetString());
    }

    [Fact]
    public async Task with_the_broker_stalled_an_order_is_accepted_at_once_and_completes_when_the_broker_is_back()
    {
        var customer = await CustomerAsync();
        using var ordering = system.App.CreateHttpClient("ordering");
        // Warm the path first: the first order of a cold ordering (JIT, the first queries, the gRPC connection) can
        // take longer than the 5 s allowed below on a loaded two-core machine, broker or not.
        await OrderFlow.PlaceAsync(ordering, customer, Body(), Ct);
        var broker = (await system.App.ProcessIdsOfAsync("messaging", Ct))
            .SelectMany(Shop.Tests.Runtime.ProcessTree.WithDescendants).ToList();
        Assert.NotEmpty(broker);

        // A stopped (not dead) RabbitMQ: a publish is written to the socket and its confirm never comes. The order's
        // messages are safe in the outbox once its transaction commits, so the 202 must not wait for the broker.
        var allowed = TimeSpan.FromSeconds(5);
        Guid id;
        TimeSpan took;
        try
        {
            Shop.Tests.Runtime.ProcessTree.Signal(broker, "STOP");
            var watch = Stopwatch.StartNew();
            var place = OrderFlow.PlaceAsync(ordering, customer, Body(), Ct);
            var answered = await Task.WhenAny(place, Task.Delay(allowed, Ct)) == place;
            took = watch.Elapsed;
            Assert.True(answered, $"no answer within {allowed.TotalSeconds:0} s while the broker was stalled: the 202 waited for the broker");
            id = await place;

            // Saved, with its first step waiting in the outbox for the broker.
            using var get = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/orders/{id}").With(customer);
            using var response = await ordering.SendAsync(get, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("Placed", (await response.Content.ReadFromJsonAsync<global::System.Text.Json.JsonElement>(Ct)).GetProperty("status").GetString());
        }
        finally
        {
            Shop.Tests.Runtime.ProcessTree.Signal(broker, "CONT");
        }

        Assert.True(took < allowed, $"the POST took {took}");
        var order = await OrderFlow.OrderAsync(ordering, customer, id, Ct);
        Assert.Equal("Completed", order.GetProperty("status").GetString());
    }

    [Fact]
    public async Task payment_killed_in_the_middle_of_a_charge_restarts_and_the_order_completes_with_exactly_one_charge()
    {
        var customer = await CustomerAsync();
        using var ordering = system.App.CreateHttpClient("ordering");
        var id = await OrderFlow.PlaceAsync(ordering, customer, Body(paymentToken: "tok_slow"), Ct);
        await OrderFlow.OrderAsync(ordering, customer, id, Ct, "StockReserved");

        // Wait until payment is in the middle of the charge (its handler holds the order's advisory lock in an open
        // transaction while the slow provider answers; the delivery is not yet acknowledged to the broker), then kill
        // it without warning: the charge in progress dies with its transaction.
        var paymentDb = await system.App.GetConnectionStringAsync("paymentdb", Ct);
        await using (var db = new NpgsqlConnection(paymentDb))
        {
            await db.OpenAsync(Ct);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (true)
            {
                await using var query = new NpgsqlCommand(
                    "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database " +
                    "WHERE l.locktype = 'advisory' AND l.granted AND d.datname = current_database()", db);
                if ((long)(await query.ExecuteScalarAsync(Ct))! > 0)
                {
                    break;
                }
                Assert.True(DateTime.UtcNow < deadline, "payment never started the charge");
                await Task.Delay(TimeSpan.FromMilliseconds(100), Ct);
            }
        }
        var pid = Assert.Single(await system.App.ProcessIdsOfAsync("payment", Ct));
        Process.GetProcessById(pid).Kill(); // SIGKILL
        await system.App.ResourceNotifications.WaitForResourceAsync("payment", e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), Ct)
            .WaitAsync(TimeSpan.FromSeconds(30), Ct);

        var start = await system.App.ResourceCommands.ExecuteCommandAsync("payment", KnownResourceCommands.StartCommand, Ct);
        Assert.True(start.Success, start.Message);

        // The broker hands the unacknowledged ChargePayment to the restarted payment, which charges once.
        var order = await PollAsync(() => OrderFlow.OrderAsync(ordering, customer, id, Ct), TimeSpan.FromMinutes(3));
        Assert.Equal("Completed", order.GetProperty("status").GetString());
        using var payment = system.App.CreateHttpClient("payment");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/payments?orderId={id}").With(customer);
        using var response = await payment.SendAsync(request, Ct);
        var charge = await response.Content.ReadFromJsonAsync<global::System.Text.Json.JsonElement>(Ct);
        Assert.Equal("Charged", charge.GetProperty("status").GetString());
        await using var check = new NpgsqlConnection(paymentDb);
        await check.OpenAsync(Ct);
        await using var count = new NpgsqlCommand("SELECT count(*) FROM \"Payments\" WHERE \"OrderId\" = @id", check);
        count.Parameters.AddWithValue("id", id);
        Assert.Equal(1L, (long)(await count.ExecuteScalarAsync(Ct))!);
    }

    [Fact]
    public async Task a_second_request_with_a_key_still_in_progress_is_409_and_the_order_is_placed_once()
    {
        var customer = await CustomerAsync();
        using var ordering = system.App.CreateHttpClient("ordering");
        // Warm the path first: a cold ordering could take longer than the lock wait below allows.
        using (var warm = await ordering.SendAsync(OrderFlow.PlaceRequest(customer, Guid.NewGuid().ToString(), Body()), Ct))
        {
            Assert.Equal(HttpStatusCode.Accepted, warm.StatusCode);
        }
        var key = Guid.NewGuid().ToString();
        var catalog = (await system.App.ProcessIdsOfAsync("catalog", Ct))
            .SelectMany(ProcessTree.WithDescendants).ToList();

        // Catalog stalled: the first request holds the key while it waits for its prices (2 s a pricing attempt).
        await using var redis = await ConnectionMultiplexer.ConnectAsync((await system.App.GetConnectionStringAsync("cache", Ct))!);
        var lockKey = $"ordering:idem-lock:{SubjectOf(customer):N}:{key}";
        ProcessTree.Signal(catalog, "STOP");
        Task<HttpResponseMessage> first;
        try
        {
            first = ordering.SendAsync(OrderFlow.PlaceRequest(customer, key, Body()), Ct);
            var holding = Stopwatch.StartNew();
            while (!await redis.GetDatabase().KeyExistsAsync(lockKey))
            {
                Assert.True(holding.Elapsed < TimeSpan.FromSeconds(1.5), $"the first request never took the key's lock ({lockKey})");
                Assert.False(first.IsCompleted, "the first request finished without taking the key's lock");
                await Task.Delay(TimeSpan.FromMilliseconds(10), Ct);
            }
            using var second = await ordering.SendAsync(OrderFlow.PlaceRequest(customer, key, Body()), Ct);
            Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
            Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
            Assert.Equal("Request in progress", (await second.JsonAsync(Ct)).GetProperty("title").GetString());
            Assert.False(first.IsCompleted, "the first request had already finished: the 409 was not about a request in progress");
        }
        finally
        {
            ProcessTree.Signal(catalog, "CONT");
        }

        // The first goes through once catalog answers; the key then replays its answer instead of placing again.
        using var placed = await first;
        Assert.Equal(HttpStatusCode.Accepted, placed.StatusCode);
        using var again = await ordering.SendAsync(OrderFlow.PlaceRequest(customer, key, Body()), Ct);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal("true", Assert.Single(again.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal(placed.Headers.Location, again.Headers.Location);
    }

    /// <summary>The customer's id: the access token's <c>sub</c>, which ordering keys idempotency by.</summary>
    private static Guid SubjectOf(string accessToken)
    {
        var payload = accessToken.Split('.')[1].Replace('-', '+').Replace('_', '/');
        var json = Convert.FromBase64String(payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '='));
        return Guid.Parse(global::System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("sub").GetString()!);
    }

    /// <summary>Repeats a poll that has its own (shorter) deadline until it succeeds or <paramref name="limit"/> passes.</summary>
    private static async Task<T> PollAsync<T>(Func<Task<T>> poll, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            try
            {
                return await poll();
            }
            catch (Exception ex) when (ex is Xunit.Sdk.FailException && DateTime.UtcNow < deadline)
            {
            }
        }
    }
}
