namespace Shop.Ordering.Pricing;

/// <summary>
/// Catalog could not price the products now: unreachable, too slow (the call's deadline passed), failing, or its
/// circuit is open. Nothing about the products is known; try again after <see cref="RetryAfter"/>.
/// </summary>
public sealed class CatalogUnavailableException : Exception
{
    public CatalogUnavailableException()
        : this(CatalogPricingExtensions.BreakDuration, "Catalog is unavailable.", null)
    {
    }

    public CatalogUnavailableException(string message)
        : this(CatalogPricingExtensions.BreakDuration, message, null)
    {
    }

    public CatalogUnavailableException(string message, Exception innerException)
        : this(CatalogPricingExtensions.BreakDuration, message, innerException)
    {
    }

    public CatalogUnavailableException(TimeSpan retryAfter, string message, Exception? innerException)
        : base(message, innerException)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>When asking again may succeed: what is left of an open circuit's break, else a whole break.</summary>
    public TimeSpan RetryAfter { get; }
}
