using System.ComponentModel.DataAnnotations;

namespace Shop.Shipping.Carrier;

/// <summary>Where shipping delivers and how the simulated carrier behaves (configuration section <c>Shipping</c>).</summary>
public sealed class ShippingOptions
{
    public const string SectionName = "Shipping";

    public static readonly IReadOnlyList<string> DefaultUnservedCountries = ["AQ"];

    /// <summary>
    /// ISO 3166-1 alpha-2 codes the carrier does not deliver to. Null means <see cref="DefaultUnservedCountries"/>: an
    /// array with a default would have configured items appended to it rather than replacing it.
    /// </summary>
    public string[]? UnservedCountries { get; set; }

    /// <summary>How long each carrier call takes.</summary>
    [Range(0, 600_000)]
    public int LatencyMs { get; set; }

    /// <summary>Share of carrier calls (0 to 1) that fail transiently; the message is then retried.</summary>
    [Range(0.0, 1.0)]
    public double FailureRate { get; set; }

    public IReadOnlyList<string> EffectiveUnservedCountries => UnservedCountries ?? DefaultUnservedCountries;
}
