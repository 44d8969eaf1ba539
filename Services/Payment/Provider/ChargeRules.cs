using Shop.Contracts;

namespace Shop.Payment.Provider;

/// <summary>What the provider answers to a charge: approved, or declined with a reason the customer may see.</summary>
public sealed record ChargeDecision(bool Approved, string? DeclineReason)
{
    public static readonly ChargeDecision Approve = new(true, null);

    public static ChargeDecision Decline(string reason) => new(false, reason);
}

/// <summary>The simulated provider's decline rules: pure, so every rule is tested without a host.</summary>
public static class ChargeRules
{
    public const string InvalidAmount = "invalid amount";
    public const string InvalidCurrency = "invalid currency";
    public const string CardDeclined = "card declined";
    public const string AmountOverLimit = "amount over limit";

    /// <summary>
    /// A malformed charge (the saga should never send one) is refused before anything is stored: the same command always
    /// gets the same answer, so idempotency holds without a row, and the table keeps its amount and currency invariants.
    /// </summary>
    public static string? Validate(ChargePayment command)
    {
        if (command.Amount <= 0 || command.Amount != decimal.Round(command.Amount, 2) || command.Amount > MaxAmount)
        {
            return InvalidAmount;
        }
        if (command.Currency is not { Length: 3 } currency || !currency.All(char.IsAsciiLetterUpper))
        {
            return InvalidCurrency;
        }
        return null;
    }

    /// <summary>The card first (a declined card fails whatever the amount), then the amount limit.</summary>
    public static ChargeDecision Decide(ChargePayment command, PaymentProviderOptions options)
    {
        if (command.PaymentToken is { } token && options.EffectiveDeclineTokens.Contains(token, StringComparer.Ordinal))
        {
            return ChargeDecision.Decline(CardDeclined);
        }
        if (command.Amount > options.DeclineAmountOver)
        {
            return ChargeDecision.Decline(AmountOverLimit);
        }
        return ChargeDecision.Approve;
    }

    /// <summary>The largest amount numeric(12,2) holds.</summary>
    public const decimal MaxAmount = 9_999_999_999.99m;
}
