using Microsoft.Extensions.Options;

namespace Shop.Shipping.Carrier;

/// <summary>
/// A simulated parcel carrier: each call waits <see cref="ShippingOptions.LatencyMs"/> and fails transiently at
/// <see cref="ShippingOptions.FailureRate"/>, so slow and flaky shipping can be produced on demand.
/// </summary>
public sealed class ShippingCarrier(IOptions<ShippingOptions> options, TimeProvider clock)
{
    private readonly ShippingOptions _options = options.Value;

    /// <summary>Books a parcel and returns its tracking number.</summary>
    /// <exception cref="CarrierUnavailableException">Nothing was booked; try again later.</exception>
    public async Task<string> BookAsync(CancellationToken cancellationToken)
    {
        await CallAsync(cancellationToken);
        return TrackingNumbers.New();
    }

    /// <summary>Calls a booked parcel off.</summary>
    /// <exception cref="CarrierUnavailableException">Nothing was cancelled; try again later.</exception>
    public Task CancelAsync(string trackingNumber, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(trackingNumber);
        return CallAsync(cancellationToken);
    }

    private async Task CallAsync(CancellationToken cancellationToken)
    {
        if (_options.LatencyMs > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(_options.LatencyMs), clock, cancellationToken);
        }
        // Random.Shared, not a cryptographic source: this only decides which simulated calls fail.
        if (_options.FailureRate > 0 && Random.Shared.NextDouble() < _options.FailureRate)
        {
            throw new CarrierUnavailableException("The carrier failed transiently (simulated).");
        }
    }
}
