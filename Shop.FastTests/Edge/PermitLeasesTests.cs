using Shop.Gateway.RateLimiting;

namespace Shop.Tests.Edge;

/// <summary>
/// The gateway's rate limit claims permits from the shared counter in blocks: replicas together never admit more than
/// the limit, small limits stay exact, and a spent window is refused without asking Redis again.
/// </summary>
public sealed class PermitLeasesTests
{
    private const long WindowMs = 10_000;

    /// <summary>A stand-in for the Redis counter: INCRBY with a fixed time left, counting the trips.</summary>
    private sealed class SharedCounter
    {
        private long _count;
        public int Claims;

        public Task<BlockClaim> ClaimAsync(string key, long block, long windowMs, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Claims);
            return Task.FromResult(new BlockClaim(Interlocked.Add(ref _count, block), 7_500));
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(30, 1)]
    [InlineData(200, 4)]
    [InlineData(1_000, 20)]
    [InlineData(100_000_000, 100)]
    public void Small_limits_claim_one_permit_at_a_time_and_large_ones_at_most_a_hundred(int limit, int block) =>
        Assert.Equal(block, PermitLeases.BlockSize(limit));

    [Fact]
    public async Task A_small_limit_is_exact_and_the_refusal_carries_the_time_left()
    {
        var counter = new SharedCounter();
        var leases = new PermitLeases(counter.ClaimAsync);

        var answers = new List<(bool Allowed, long TtlMs)>();
        for (var i = 0; i < 35; i++)
        {
            answers.Add(await leases.TryAcquireAsync("user:a:1", 30, WindowMs, CancellationToken.None));
        }

        Assert.Equal(30, answers.Count(a => a.Allowed));
        Assert.All(answers.Skip(30), a => Assert.False(a.Allowed));
        Assert.InRange(answers[^1].TtlMs, 7_000, 7_500);
    }

    [Fact]
    public async Task Two_replicas_sharing_the_counter_never_admit_more_than_the_limit()
    {
        var counter = new SharedCounter();
        PermitLeases[] replicas = [new(counter.ClaimAsync), new(counter.ClaimAsync)];
        const int limit = 1_000; // blocks of 20

        var admitted = 0;
        for (var i = 0; i < 1_500; i++)
        {
            if ((await replicas[i % 2].TryAcquireAsync("ip:1.2.3.4:9", limit, WindowMs, CancellationToken.None)).Allowed)
            {
                admitted++;
            }
        }

        // Alternating requests spend both replicas' blocks evenly: the whole budget is used, never more.
        Assert.Equal(limit, admitted);
        Assert.InRange(counter.Claims, limit / 20, limit / 20 + 4);
    }

    [Fact]
    public async Task Unused_permits_of_one_replica_are_the_only_loss_and_stay_under_a_block()
    {
        var counter = new SharedCounter();
        var busy = new PermitLeases(counter.ClaimAsync);
        var idle = new PermitLeases(counter.ClaimAsync);
        const int limit = 1_000;

        Assert.True((await idle.TryAcquireAsync("k:1", limit, WindowMs, CancellationToken.None)).Allowed); // claims 20, uses 1
        var admitted = 1;
        for (var i = 0; i < 1_200; i++)
        {
            if ((await busy.TryAcquireAsync("k:1", limit, WindowMs, CancellationToken.None)).Allowed)
            {
                admitted++;
            }
        }

        Assert.InRange(admitted, limit - (PermitLeases.BlockSize(limit) - 1), limit);
    }

    [Fact]
    public async Task Concurrent_requests_share_one_claim_and_a_spent_window_asks_redis_no_more()
    {
        var counter = new SharedCounter();
        var leases = new PermitLeases(counter.ClaimAsync);
        const int limit = 200; // blocks of 4

        var answers = await Task.WhenAll(Enumerable.Range(0, 400).Select(_ =>
            Task.Run(() => leases.TryAcquireAsync("user:b:3", limit, WindowMs, CancellationToken.None))));
        var claimsWhenSpent = counter.Claims;
        for (var i = 0; i < 100; i++)
        {
            Assert.False((await leases.TryAcquireAsync("user:b:3", limit, WindowMs, CancellationToken.None)).Allowed);
        }

        Assert.Equal(limit, answers.Count(a => a.Allowed));
        Assert.Equal(limit / 4 + 1, claimsWhenSpent); // 50 blocks, then one claim that found the window spent
        Assert.Equal(claimsWhenSpent, counter.Claims);
    }

    [Fact]
    public async Task A_new_window_starts_with_a_new_budget_and_old_windows_are_forgotten()
    {
        var counter = new SharedCounter();
        var leases = new PermitLeases((key, block, windowMs, ct) => key.EndsWith(":1", StringComparison.Ordinal)
            ? counter.ClaimAsync(key, block, windowMs, ct)
            : Task.FromResult(new BlockClaim(block, 9_000)));

        for (var i = 0; i < 3; i++)
        {
            await leases.TryAcquireAsync("user:c:1", 2, WindowMs, CancellationToken.None);
        }
        Assert.False((await leases.TryAcquireAsync("user:c:1", 2, WindowMs, CancellationToken.None)).Allowed);
        Assert.True((await leases.TryAcquireAsync("user:c:2", 2, WindowMs, CancellationToken.None)).Allowed);

        leases.Sweep(key => key.EndsWith(":2", StringComparison.Ordinal));
        Assert.Equal(1, leases.Count);
    }
}
