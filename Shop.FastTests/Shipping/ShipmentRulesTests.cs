using Microsoft.Extensions.Configuration;
using Shop.Contracts;
using Shop.Shipping.Carrier;

namespace Shop.Tests.Shipping;

/// <summary>Where shipping delivers and what a shipment command must hold (pure, no host).</summary>
public sealed class ShipmentRulesTests
{
    private static CreateShipment Command(string country = "NL", IReadOnlyList<OrderLine>? items = null, string street = "Damrak 1") =>
        new(Guid.NewGuid(), Guid.NewGuid(), new ShippingAddress("Ada Lovelace", street, "Amsterdam", "1012 JS", country), items ?? [new(1, 2), new(7, 1)]);

    [Theory]
    [InlineData("AQ", "country AQ is not served")]
    [InlineData("aq", "country AQ is not served")]
    [InlineData(" AQ ", "country AQ is not served")]
    [InlineData("NL", null)]
    [InlineData("US", null)]
    public void by_default_every_country_but_antarctica_is_served(string country, string? reason)
    {
        Assert.Equal(reason, ShipmentRules.CheckCountry(country, new ShippingOptions()));
    }

    [Theory]
    [InlineData("US", "country US is not served")]
    [InlineData("ca", "country CA is not served")]
    [InlineData("AQ", null)]
    public void configured_unserved_countries_replace_the_default(string country, string? reason)
    {
        var options = new ShippingOptions { UnservedCountries = ["US", "ca"] };

        Assert.Equal(reason, ShipmentRules.CheckCountry(country, options));
    }

    [Fact]
    public void unserved_countries_bind_from_configuration_as_the_apphost_sets_them()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Shipping:UnservedCountries:0"] = "AQ", ["Shipping:LatencyMs"] = "25" })
            .Build();

        var options = new ShippingOptions();
        configuration.GetSection(ShippingOptions.SectionName).Bind(options);

        Assert.Equal(new[] { "AQ" }, options.EffectiveUnservedCountries);
        Assert.Equal(25, options.LatencyMs);
        Assert.Equal(new[] { "AQ" }, new ShippingOptions().EffectiveUnservedCountries);
    }

    [Fact]
    public void a_well_formed_command_is_valid_and_counts_its_units()
    {
        var command = Command();

        Assert.Null(ShipmentRules.Validate(command));
        Assert.Equal(3, ShipmentRules.ItemCount(command.Items));
    }

    public static TheoryData<CreateShipment, string> Malformed => new()
    {
        { Command(items: []), "the order has no items to ship" },
        { Command(items: [new(1, 0)]), "the order has no items to ship" },
        { Command(items: [new(1, 60_000), new(2, 60_000)]), $"the order has more than {ShipmentRules.MaxItemCount} units to ship" },
        { Command(street: " "), "the shipping address has a missing or too long street" },
        { Command(street: new string('x', ShipmentRules.StreetMaxLength + 1)), "the shipping address has a missing or too long street" },
        { Command(country: "NLD"), "'NLD' is not an ISO 3166-1 alpha-2 country code" },
        { Command(country: "N1"), "'N1' is not an ISO 3166-1 alpha-2 country code" },
        { Command(country: ""), "'' is not an ISO 3166-1 alpha-2 country code" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void a_malformed_command_fails_with_a_reason_that_names_the_problem(CreateShipment command, string reason)
    {
        Assert.Equal(reason, ShipmentRules.Validate(command));
    }
}
