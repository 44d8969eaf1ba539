using Microsoft.Extensions.Options;
using Shop.Contracts;
using Shop.Payment.Provider;

namespace Shop.Tests.Payment;

/// <summary>The simulated provider's failure injection and bulkhead (no host; no test waits on a clock).</summary>
public sealed class PaymentProviderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ChargePayment Charge(string? token = "tok_visa") => new(Guid.NewGuid(), Guid.NewGuid(), 12.34m, "EUR", token);

    private static PaymentProvider Provider(PaymentProviderOptions options) => new(Options.Create(options), TimeProvider.System);

    [Fact]
    public async Task an_approved_charge_gets_a_provider_reference_and_a_declined_one_none()
    {
        using var provider = Provider(new PaymentProviderOptions());

        var approved = await provider.ChargeAsync(Charge(), Ct);
        var declined = await provider.ChargeAsync(Charge("tok_decline"), Ct);

        Assert.True(approved.Decision.Approved);
        Assert.Matches("^sim_ch_[0-9a-f]{24}$", approved.Reference);
        Assert.False(declined.Decision.Approved);
        Assert.Equal(ChargeRules.CardDeclined, declined.Decision.DeclineReason);
        Assert.Null(declined.Reference);
    }

    [Fact]
    public async Task a_failure_rate_of_one_fails_every_call_transiently_and_zero_none()
    {
        using var failing = Provider(new PaymentProviderOptions { FailureRate = 1 });
        using var healthy = Provider(new PaymentProviderOptions { FailureRate = 0 });

        await Assert.ThrowsAsync<PaymentProviderUnavailableException>(() => failing.ChargeAsync(Charge(), Ct));
        await Assert.ThrowsAsync<PaymentProviderUnavailableException>(() => failing.RefundAsync("sim_ch_1", 5m, Ct));
        for (var i = 0; i < 20; i++)
        {
            Assert.True((await healthy.ChargeAsync(Charge(), Ct)).Decision.Approved);
        }
    }

    [Fact]
    public async Task a_full_bulkhead_refuses_the_next_call_at_once_and_frees_its_slot_when_a_call_ends()
    {
        // One slot, no queue, and a call that lasts until it is cancelled: the slot stays taken for as long as we say.
        using var provider = Provider(new PaymentProviderOptions { MaxConcurrency = 1, MaxQueue = 0, LatencyMs = 600_000 });
        using var slow = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var first = provider.ChargeAsync(Charge(), slow.Token);

        var refused = await Assert.ThrowsAsync<PaymentProviderUnavailableException>(() => provider.ChargeAsync(Charge(), Ct));
        Assert.Contains("saturated", refused.Message, StringComparison.Ordinal);

        await slow.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        using var canceller = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var next = provider.ChargeAsync(Charge(), canceller.Token);
        Assert.False(next.IsCompleted); // it got the slot and is waiting out its latency, not refused
        await canceller.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next);
    }

    [Fact]
    public async Task calls_beyond_the_slots_wait_in_the_bounded_queue()
    {
        using var provider = Provider(new PaymentProviderOptions { MaxConcurrency = 1, MaxQueue = 1, LatencyMs = 600_000 });
        using var slow = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var inFlight = provider.ChargeAsync(Charge(), slow.Token);
        var queued = provider.ChargeAsync(Charge(), slow.Token);

        await Assert.ThrowsAsync<PaymentProviderUnavailableException>(() => provider.ChargeAsync(Charge(), Ct));
        Assert.False(queued.IsCompleted);

        await slow.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => inFlight);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
    }
}
