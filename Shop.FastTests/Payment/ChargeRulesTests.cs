using Microsoft.Extensions.Configuration;
using Shop.Contracts;
using Shop.Payment.Provider;

namespace Shop.Tests.Payment;

/// <summary>The simulated provider's decline rules and the shape a charge must have (pure, no host).</summary>
public sealed class ChargeRulesTests
{
    private static readonly Guid OrderA = Guid.Parse("aaaaaaaa-0000-0000-0000-0000000000a1");
    private static readonly Guid CustomerA = Guid.Parse("cccccccc-0000-0000-0000-0000000000c1");

    private static ChargePayment Charge(decimal amount, string? token = "tok_visa", string currency = "EUR") =>
        new(OrderA, CustomerA, amount, currency, token);

    public static TheoryData<decimal, string?, string?> Decisions => new()
    {
        { 42.50m, "tok_visa", null },
        { 42.50m, null, null },
        { 10_000m, "tok_visa", null },                                   // at the limit is allowed
        { 10_000.01m, "tok_visa", ChargeRules.AmountOverLimit },
        { 42.50m, "tok_decline", ChargeRules.CardDeclined },
        { 99_999m, "tok_decline", ChargeRules.CardDeclined },            // the card is checked before the amount
        { 42.50m, "TOK_DECLINE", null },                                 // tokens are exact
    };

    [Theory]
    [MemberData(nameof(Decisions))]
    public void default_rules_decline_the_test_token_and_amounts_over_ten_thousand(decimal amount, string? token, string? declineReason)
    {
        var decision = ChargeRules.Decide(Charge(amount, token), new PaymentProviderOptions());

        Assert.Equal(declineReason is null, decision.Approved);
        Assert.Equal(declineReason, decision.DeclineReason);
    }

    [Fact]
    public void configured_decline_tokens_and_limit_replace_the_defaults()
    {
        var options = new PaymentProviderOptions { DeclineTokens = ["tok_stolen"], DeclineAmountOver = 100m };

        Assert.Equal(ChargeRules.CardDeclined, ChargeRules.Decide(Charge(10m, "tok_stolen"), options).DeclineReason);
        Assert.True(ChargeRules.Decide(Charge(10m, "tok_decline"), options).Approved);
        Assert.Equal(ChargeRules.AmountOverLimit, ChargeRules.Decide(Charge(100.01m), options).DeclineReason);
    }

    public static TheoryData<decimal, string, string?> Shapes => new()
    {
        { 0.01m, "EUR", null },
        { ChargeRules.MaxAmount, "USD", null },
        { 0m, "EUR", ChargeRules.InvalidAmount },
        { -5m, "EUR", ChargeRules.InvalidAmount },
        { 1.005m, "EUR", ChargeRules.InvalidAmount },
        { ChargeRules.MaxAmount + 0.01m, "EUR", ChargeRules.InvalidAmount },
        { 10m, "eur", ChargeRules.InvalidCurrency },
        { 10m, "EURO", ChargeRules.InvalidCurrency },
        { 10m, "", ChargeRules.InvalidCurrency },
        { 10m, "E1R", ChargeRules.InvalidCurrency },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void a_malformed_charge_is_refused_before_the_provider_is_asked(decimal amount, string currency, string? reason)
    {
        Assert.Equal(reason, ChargeRules.Validate(Charge(amount, currency: currency)));
    }

    [Fact]
    public void provider_options_bind_from_configuration_replacing_the_default_tokens()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Payment:Provider:DeclineTokens:0"] = "tok_decline",
                ["Payment:Provider:DeclineTokens:1"] = "tok_expired",
                ["Payment:Provider:DeclineAmountOver"] = "250.5",
                ["Payment:Provider:MaxConcurrency"] = "2",
            })
            .Build();

        var options = new PaymentProviderOptions();
        configuration.GetSection(PaymentProviderOptions.SectionName).Bind(options);

        Assert.Equal(new[] { "tok_decline", "tok_expired" }, options.EffectiveDeclineTokens);
        Assert.Equal(250.5m, options.DeclineAmountOver);
        Assert.Equal(2, options.MaxConcurrency);
        Assert.Equal(new[] { "tok_decline" }, new PaymentProviderOptions().EffectiveDeclineTokens);
    }
}
