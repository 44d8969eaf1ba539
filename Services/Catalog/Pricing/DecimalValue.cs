namespace Shop.Catalog.Pricing.V1;

/// <summary>Conversion of the proto's exact decimal (units + nanos / 10^9) from a .NET decimal.</summary>
public sealed partial class DecimalValue
{
    private const decimal NanosPerUnit = 1_000_000_000m;

    /// <summary>
    /// Exact for up to nine decimal places (catalog prices have two); both parts carry the value's sign.
    /// </summary>
    public static DecimalValue FromDecimal(decimal value)
    {
        var units = decimal.Truncate(value);
        return new DecimalValue
        {
            Units = (long)units,
            Nanos = (int)decimal.Truncate((value - units) * NanosPerUnit),
        };
    }
}
