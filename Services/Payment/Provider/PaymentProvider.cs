using System.Security.Cryptography;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Shop.Contracts;

namespace Shop.Payment.Provider;

/// <summary>
/// A simulated card provider: each call waits <see cref="PaymentProviderOptions.LatencyMs"/>, fails transiently at
/// <see cref="PaymentProviderOptions.FailureRate"/>, and goes through a bulkhead of
/// <see cref="PaymentProviderOptions.MaxConcurrency"/> slots, so a slow provider holds up a bounded number of handlers
/// while the rest of the messages wait in the broker.
/// </summary>
public sealed class PaymentProvider : IDisposable
{
    private readonly PaymentProviderOptions _options;
    private readonly TimeProvider _clock;
    private readonly ConcurrencyLimiter _bulkhead;

    public PaymentProvider(IOptions<PaymentProviderOptions> options, TimeProvider clock)
    {
        _options = options.Value;
        _clock = clock;
        _bulkhead = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = _options.MaxConcurrency,
            QueueLimit = _options.MaxQueue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>Asks the provider to charge; a decline is an answer, a transient failure an exception.</summary>
    /// <exception cref="PaymentProviderUnavailableException">Nothing was charged; try again later.</exception>
    public async Task<ProviderCharge> ChargeAsync(ChargePayment command, CancellationToken cancellationToken)
    {
        await CallAsync(cancellationToken);
        if (command.PaymentToken is { } token && _options.EffectiveSlowTokens.Contains(token, StringComparer.Ordinal))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(_options.SlowLatencyMs), _clock, cancellationToken);
        }
        var decision = ChargeRules.Decide(command, _options);
        return new ProviderCharge(decision, decision.Approved ? NewReference() : null);
    }

    /// <summary>Asks the provider to give an amount back.</summary>
    /// <exception cref="PaymentProviderUnavailableException">Nothing was refunded; try again later.</exception>
    public Task RefundAsync(string providerReference, decimal amount, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(providerReference);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        return CallAsync(cancellationToken);
    }

    public void Dispose() => _bulkhead.Dispose();

    private async Task CallAsync(CancellationToken cancellationToken)
    {
        using var lease = await _bulkhead.AcquireAsync(1, cancellationToken);
        if (!lease.IsAcquired)
        {
            throw new PaymentProviderUnavailableException(
                $"The payment provider is saturated ({_options.MaxConcurrency} calls in flight, {_options.MaxQueue} waiting).");
        }
        if (_options.LatencyMs > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(_options.LatencyMs), _clock, cancellationToken);
        }
        // Random.Shared, not a cryptographic source: this only decides which simulated calls fail.
        if (_options.FailureRate > 0 && Random.Shared.NextDouble() < _options.FailureRate)
        {
            throw new PaymentProviderUnavailableException("The payment provider failed transiently (simulated).");
        }
    }

    private static string NewReference() => "sim_ch_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
}

/// <summary>The provider's answer to a charge, with its reference when it took the money.</summary>
public sealed record ProviderCharge(ChargeDecision Decision, string? Reference);
