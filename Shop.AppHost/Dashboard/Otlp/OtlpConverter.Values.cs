using System.Globalization;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Shop.AppHost.Dashboard.Otlp.Proto.Collector.Logs;
using Shop.AppHost.Dashboard.Otlp.Proto.Collector.Metrics;
using Shop.AppHost.Dashboard.Otlp.Proto.Collector.Trace;
using Shop.AppHost.Dashboard.Telemetry;

namespace Shop.AppHost.Dashboard.Otlp;

// The protocol's building blocks: who sent it, attribute values, severities, times and ids.
public static partial class OtlpConverter
{
    /// <summary>The sender: <c>service.name</c> (else "unknown_service") and <c>service.instance.id</c> (else the name).</summary>
    public static TelemetrySource SourceOf(Proto.Resource.Resource? resource)
    {
        string? name = null, instance = null;
        if (resource is not null)
        {
            foreach (var attribute in resource.Attributes)
            {
                if (attribute.Key == "service.name" && attribute.Value is { } n)
                {
                    name = ToText(n);
                }
                else if (attribute.Key == "service.instance.id" && attribute.Value is { } i)
                {
                    instance = ToText(i);
                }
            }
        }
        name = string.IsNullOrEmpty(name) ? UnknownService : TelemetryStrings.Share(name);
        return new TelemetrySource(name, string.IsNullOrEmpty(instance) ? name : TelemetryStrings.Share(instance));
    }

    /// <summary>At most <see cref="TelemetryLimits.MaxAttributeCount"/> attributes (the first ones), values cut to <see cref="TelemetryLimits.MaxAttributeLength"/>.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ToAttributes(RepeatedField<Proto.Common.KeyValue> attributes, TelemetryLimits limits)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        ArgumentNullException.ThrowIfNull(limits);
        var count = Math.Min(attributes.Count, Math.Max(0, limits.MaxAttributeCount));
        if (count == 0)
        {
            return [];
        }
        var result = new KeyValuePair<string, string>[count];
        for (var i = 0; i < count; i++)
        {
            var value = attributes[i].Value is { } v ? ToText(v) : "";
            if (value.Length > limits.MaxAttributeLength)
            {
                value = value[..Math.Max(0, limits.MaxAttributeLength)];
            }
            result[i] = new(TelemetryStrings.Share(attributes[i].Key), TelemetryStrings.Share(value));
        }
        return result;
    }

    /// <summary>
    /// A value as text: strings as they are, numbers invariant, booleans lowercase, bytes base64, and arrays or
    /// key-value lists as compact JSON (<c>["a",1]</c>, <c>{"k":"v"}</c>).
    /// </summary>
    public static string ToText(Proto.Common.AnyValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.ValueCase switch
        {
            Proto.Common.AnyValue.ValueOneofCase.StringValue => value.StringValue,
            Proto.Common.AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
            Proto.Common.AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(CultureInfo.InvariantCulture),
            Proto.Common.AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString(CultureInfo.InvariantCulture),
            Proto.Common.AnyValue.ValueOneofCase.BytesValue => value.BytesValue.ToBase64(),
            Proto.Common.AnyValue.ValueOneofCase.ArrayValue or Proto.Common.AnyValue.ValueOneofCase.KvlistValue => ToJson(value),
            _ => "",
        };
    }

    private static string ToJson(Proto.Common.AnyValue value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true }))
        {
            Write(writer, value);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);

        static void Write(Utf8JsonWriter writer, Proto.Common.AnyValue? value)
        {
            switch (value?.ValueCase)
            {
                case Proto.Common.AnyValue.ValueOneofCase.StringValue:
                    writer.WriteStringValue(value.StringValue);
                    break;
                case Proto.Common.AnyValue.ValueOneofCase.BoolValue:
                    writer.WriteBooleanValue(value.BoolValue);
                    break;
                case Proto.Common.AnyValue.ValueOneofCase.IntValue:
                    writer.WriteNumberValue(value.IntValue);
                    break;
                case Proto.Common.AnyValue.ValueOneofCase.DoubleValue when double.IsFinite(value.DoubleValue):
                    writer.WriteNumberValue(value.DoubleValue);
                    break;
                case Proto.Common.AnyValue.ValueOneofCase.DoubleValue:
                    writer.WriteStringValue(value.DoubleValue.ToString(CultureInfo.InvariantCulture)); // NaN, ∞: JSON has no number for them
                    break;
                case Proto.Common.AnyValue.ValueOneofCase.BytesValue:
                    writer.WriteStringValue(value.BytesValue.ToBase64());
                    break;
                case Proto.Common.AnyValue.ValueOneofCase.ArrayValue:
                    writer.WriteStartArray();
                    foreach (var item in value.ArrayValue.Values)
                    {
                        Write(writer, item);
                    }
                    writer.WriteEndArray();
                    break;
                case Proto.Common.AnyValue.ValueOneofCase.KvlistValue:
                    writer.WriteStartObject();
                    foreach (var pair in value.KvlistValue.Values)
                    {
                        writer.WritePropertyName(pair.Key);
                        Write(writer, pair.Value);
                    }
                    writer.WriteEndObject();
                    break;
                default:
                    writer.WriteNullValue();
                    break;
            }
        }
    }

    /// <summary>OTLP's four numbers per level to the dashboard's levels; 0 (unspecified) and anything unknown read as Information.</summary>
    public static LogSeverity ToSeverity(int severityNumber) => severityNumber switch
    {
        >= 1 and <= 4 => LogSeverity.Trace,
        >= 5 and <= 8 => LogSeverity.Debug,
        >= 9 and <= 12 => LogSeverity.Information,
        >= 13 and <= 16 => LogSeverity.Warning,
        >= 17 and <= 20 => LogSeverity.Error,
        >= 21 and <= 24 => LogSeverity.Critical,
        _ => LogSeverity.Information,
    };

    /// <summary>Unix nanoseconds to a UTC time (100 ns precision, as DateTime has).</summary>
    public static DateTime ToDateTime(ulong unixNanoseconds)
        => DateTime.UnixEpoch.AddTicks((long)Math.Min(unixNanoseconds / 100, (ulong)(DateTime.MaxValue.Ticks - DateTime.UnixEpoch.Ticks)));

    private static bool IsValidId(ByteString id, int length) => id.Length == length && id.Span.ContainsAnyExcept((byte)0);

    /// <summary>Empty or all zeros: none (null). Otherwise it must have the length.</summary>
    private static bool TryOptionalId(ByteString id, int length, out string? hex)
    {
        hex = null;
        if (id.Length == 0 || !id.Span.ContainsAnyExcept((byte)0))
        {
            return true;
        }
        if (id.Length != length)
        {
            return false;
        }
        hex = IdStrings.Hex(id);
        return true;
    }
}
