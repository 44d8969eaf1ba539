namespace Shop.Payment.Provider;

/// <summary>
/// The provider could not be reached or had no room: nothing was charged, and trying the same message again later is
/// the right answer (the handlers' retry policy does so).
/// </summary>
public sealed class PaymentProviderUnavailableException(string message) : Exception(message);
