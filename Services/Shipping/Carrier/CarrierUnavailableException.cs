namespace Shop.Shipping.Carrier;

/// <summary>The carrier could not be reached: nothing was booked or cancelled, and trying the message again is safe.</summary>
public sealed class CarrierUnavailableException(string message) : Exception(message);
