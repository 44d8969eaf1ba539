using System.ComponentModel.DataAnnotations;

namespace Shop.Payment.Provider;

/// <summary>
/// How the simulated provider behaves (configuration section <c>Payment:Provider</c>), so that slow, failing, declining
/// or saturated payments can be produced on demand in tests and demos.
/// </summary>
public sealed class PaymentProviderOptions
{
    public const string SectionName = "Payment:Provider";

    public static readonly IReadOnlyList<string> DefaultDeclineTokens = ["tok_decline"];

    public static readonly IReadOnlyList<string> DefaultSlowTokens = ["tok_slow"];

    /// <summary>How long each provider call takes.</summary>
    [Range(0, 600_000)]
    public int LatencyMs { get; set; }

    /// <summary>Share of provider calls (0 to 1) that fail transiently; the message is then retried.</summary>
    [Range(0.0, 1.0)]
    public double FailureRate { get; set; }

    /// <summary>A charge above this amount is declined ("amount over limit").</summary>
    [Range(typeof(decimal), "0", "9999999999.99", ParseLimitsInInvariantCulture = true)]
    public decimal DeclineAmountOver { get; set; } = 10_000m;

    /// <summary>
    /// Payment tokens whose charges are declined ("card declined"). Null means <see cref="DefaultDeclineTokens"/>: an
    /// array with a default would have configured items appended to it rather than replacing it.
    /// </summary>
    public string[]? DeclineTokens { get; set; }

    /// <summary>
    /// Payment tokens whose charges take <see cref="SlowLatencyMs"/> more (a provider hanging on one card), so that a
    /// step past the saga's deadline, and a late success after cancellation, can be produced for one order. Null means
    /// <see cref="DefaultSlowTokens"/>.
    /// </summary>
    public string[]? SlowTokens { get; set; }

    [Range(0, 600_000)]
    public int SlowLatencyMs { get; set; } = 10_000;

    /// <summary>Provider calls in flight at once (the bulkhead).</summary>
    [Range(1, 1_000)]
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>Calls that may wait for a free slot; one more is refused at once and its message retried later.</summary>
    [Range(0, 10_000)]
    public int MaxQueue { get; set; } = 32;

    public IReadOnlyList<string> EffectiveDeclineTokens => DeclineTokens ?? DefaultDeclineTokens;

    public IReadOnlyList<string> EffectiveSlowTokens => SlowTokens ?? DefaultSlowTokens;
}
