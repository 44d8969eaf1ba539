using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Shop.Ordering.Orders;

/// <summary>
/// The <c>Idempotency-Key</c> request header (IETF httpapi draft "The Idempotency-Key HTTP Header Field"), pure parts:
/// validating the key, fingerprinting the request, and deriving the order id from the customer and the key.
/// </summary>
/// <remarks>
/// The order id is derived from (customer, key), so the order row itself is the durable idempotency record: a second
/// request with the same key cannot create a second order even if everything else fails, and a replay is answered
/// from orderingdb after a restart. Keys are scoped per customer and kept as long as the order.
/// </remarks>
public static class Idempotency
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeaderName = "Idempotent-Replayed";
    public const int MaxKeyLength = 255;

    /// <summary>The key, unquoted (the draft makes it a structured-field string, so <c>"abc"</c> and <c>abc</c> are accepted); null and an error when invalid.</summary>
    public static (string? Key, string? Error) Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return (null, $"The {HeaderName} header is required: a unique value per order attempt, e.g. a UUID.");
        }
        var key = header.Trim();
        if (key.Length >= 2 && key[0] == '"' && key[^1] == '"')
        {
            key = key[1..^1];
        }
        if (key.Length is 0 or > MaxKeyLength || key.Any(c => c < 0x21 || c > 0x7e))
        {
            return (null, $"The {HeaderName} header must be 1 to {MaxKeyLength} visible ASCII characters.");
        }
        return (key, null);
    }

    /// <summary>SHA-256 (hex) of the request as understood, so formatting differences in the JSON do not count as another body.</summary>
    public static string Fingerprint(PlaceOrder.Request request) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(request, JsonSerializerOptions.Web)));

    /// <summary>A UUID (version 8, RFC 9562) from the customer and the key: the same pair always names the same order.</summary>
    public static Guid OrderId(Guid customerId, string key)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"order:{customerId:N}:{key}"), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
