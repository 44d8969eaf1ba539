using Shop.Contracts;

namespace Shop.Shipping.Carrier;

/// <summary>Whether a shipment can be booked: pure, so every rule is tested without a host.</summary>
public static class ShipmentRules
{
    public const int NameMaxLength = 200;
    public const int StreetMaxLength = 200;
    public const int CityMaxLength = 100;
    public const int PostalCodeMaxLength = 20;

    /// <summary>More units than any parcel holds; also keeps the count far from overflowing.</summary>
    public const int MaxItemCount = 100_000;

    /// <summary>
    /// Null when the address and items are well formed. A malformed command (the saga should never send one) is refused
    /// before anything is stored: the same command always gets the same answer, so idempotency holds without a row.
    /// </summary>
    public static string? Validate(CreateShipment command)
    {
        if (command.Items is not { Count: > 0 } items || items.Any(i => i.Quantity <= 0))
        {
            return "the order has no items to ship";
        }
        if (items.Sum(i => (long)i.Quantity) > MaxItemCount)
        {
            return $"the order has more than {MaxItemCount} units to ship";
        }
        if (command.Address is not { } address)
        {
            return "the shipping address is missing";
        }
        var missing = new (string Field, string? Value, int MaxLength)[]
            {
                ("name", address.Name, NameMaxLength),
                ("street", address.Street, StreetMaxLength),
                ("city", address.City, CityMaxLength),
                ("postal code", address.PostalCode, PostalCodeMaxLength),
            }
            .Where(f => string.IsNullOrWhiteSpace(f.Value) || f.Value.Trim().Length > f.MaxLength)
            .Select(f => f.Field)
            .ToList();
        if (missing.Count > 0)
        {
            return $"the shipping address has a missing or too long {string.Join(", ", missing)}";
        }
        if (NormaliseCountry(address.Country) is not { Length: 2 } country || !country.All(char.IsAsciiLetterUpper))
        {
            return $"'{address.Country}' is not an ISO 3166-1 alpha-2 country code";
        }
        return null;
    }

    /// <summary>The country rule: null when the carrier serves <paramref name="country"/>, otherwise why not.</summary>
    public static string? CheckCountry(string country, ShippingOptions options)
    {
        var code = NormaliseCountry(country);
        return options.EffectiveUnservedCountries.Any(c => string.Equals(NormaliseCountry(c), code, StringComparison.Ordinal))
            ? $"country {code} is not served"
            : null;
    }

    public static string NormaliseCountry(string? country) => (country ?? "").Trim().ToUpperInvariant();

    public static int ItemCount(IEnumerable<OrderLine> items) => items.Sum(i => i.Quantity);
}
