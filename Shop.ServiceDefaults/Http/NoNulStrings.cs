using System.Text.Json;
using System.Text.Json.Serialization;

namespace Shop.ServiceDefaults.Http;

/// <summary>Thrown while a request body is read: a string holds U+0000.</summary>
public sealed class NulCharacterException() : JsonException(Text)
{
    public const string Text = "Must not contain a NUL character (U+0000).";
}

/// <summary>
/// Reads JSON strings for the endpoints and refuses one that holds U+0000: PostgreSQL's text cannot store it, so such
/// a value would fail at the database as a 500 instead of being the caller's 400 (see <see cref="InvalidRequestHandler"/>).
/// Writes strings as System.Text.Json does.
/// </summary>
public sealed class NoNulStrings : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.GetString();
        return value is not null && value.Contains('\0', StringComparison.Ordinal) ? throw new NulCharacterException() : value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
