using System.Buffers;
using System.Security.Cryptography;

namespace Shop.Shipping.Carrier;

/// <summary>Tracking numbers: <c>SHP-</c> and ten characters from A–Z and 0–9 (36^10, about 3.7·10^15 of them).</summary>
public static class TrackingNumbers
{
    public const string Prefix = "SHP-";
    public const int RandomLength = 10;
    /// <summary>The prefix and the random part.</summary>
    public const int Length = 14;

    /// <summary>The shape every stored tracking number has (a CHECK constraint too).</summary>
    public const string Pattern = "^SHP-[A-Z0-9]{10}$";

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static readonly SearchValues<char> AlphabetValues = SearchValues.Create(Alphabet);

    /// <summary>
    /// A cryptographic source, so a number cannot be guessed from others (it is what a customer quotes to the carrier).
    /// A collision, however unlikely, hits the unique index and the handler's retry draws another.
    /// </summary>
    public static string New() => Prefix + RandomNumberGenerator.GetString(Alphabet, RandomLength);

    public static bool IsValid(string? value) =>
        value is { Length: Length } && value.StartsWith(Prefix, StringComparison.Ordinal)
        && !value.AsSpan(Prefix.Length).ContainsAnyExcept(AlphabetValues);
}
