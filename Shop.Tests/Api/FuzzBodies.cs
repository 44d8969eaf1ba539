using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Shop.Tests.Edge;

namespace Shop.Tests.Api;

/// <summary>
/// Request bodies for the fuzz: a well-formed instance of an operation's request schema, and that instance broken one
/// way at a time (unreadable JSON, the wrong JSON type, each field null, missing, hostile or of the wrong type).
/// </summary>
public static class FuzzBodies
{
    private static readonly string Long = new('x', 100_000);

    public static IEnumerable<(string What, Func<HttpContent?> Content)> Cases(JsonObject schema, FuzzCallers callers)
    {
        yield return ("no body", () => null);
        yield return ("an empty JSON body", () => Json(""));
        yield return ("JSON cut short", () => Json("{\"a\":"));
        yield return ("JSON null", () => Json("null"));
        yield return ("a JSON array", () => Json("[1,2,3]"));
        yield return ("a JSON number", () => Json("42"));
        yield return ("a JSON string", () => Json("\"text\""));
        yield return ("JSON nested 10,000 deep", () => Json(new string('[', 10_000) + new string(']', 10_000)));
        yield return ("an object nested 200 deep", () => Json(string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200)));
        yield return ("invalid UTF-8 in a string", () => Bytes([.. "{\"name\":\""u8, 0xFF, 0xFE, 0xC3, 0x28, .. "\"}"u8], "application/json"));
        yield return ("a 1 MB body", () => Json("{\"name\":\"" + new string('z', 1_000_000) + "\"}"));
        var valid = Example(schema, callers, "") ?? new JsonObject();
        yield return ("a valid body as text/plain", () => new StringContent(valid.ToJsonString(), Encoding.UTF8, "text/plain"));
        yield return ("a valid body as application/xml", () => new StringContent("<request/>", Encoding.UTF8, "application/xml"));
        yield return ("a valid body as a form", () => new FormUrlEncodedContent([new("a", "b")]));
        yield return ("a valid body without a content type", () => Bytes(Encoding.UTF8.GetBytes(valid.ToJsonString()), null));
        yield return ("an extra field", () => Json(With(valid, o => o["unexpected"] = new JsonObject { ["deep"] = new JsonArray(1, 2) }).ToJsonString()));

        foreach (var (path, property) in Properties(schema, ""))
        {
            var type = new ApiParameter(path, "body", false, property).Type;
            yield return ($"{path} null", () => Json(Set(valid, path, null)));
            yield return ($"{path} missing", () => Json(Remove(valid, path)));
            yield return ($"{path} a NUL string", () => Json(Set(valid, path, "a\u0000b")));
            yield return ($"{path} a 100 KB string", () => Json(Set(valid, path, Long)));
            yield return ($"{path} an object", () => Json(Set(valid, path, new JsonObject { ["x"] = 1 })));
            yield return ($"{path} an array", () => Json(Set(valid, path, new JsonArray("a", 1))));
            if (type is "integer" or "number")
            {
                yield return ($"{path} = -1", () => Json(Set(valid, path, -1)));
                yield return ($"{path} = 2^63", () => Json(Set(valid, path, JsonNode.Parse("9223372036854775808"))));
                yield return ($"{path} = 1e308", () => Json(Set(valid, path, JsonNode.Parse("1e308"))));
                yield return ($"{path} = 1.5", () => Json(Set(valid, path, 1.5)));
                yield return ($"{path} = \"abc\"", () => Json(Set(valid, path, "abc")));
                yield return ($"{path} = true", () => Json(Set(valid, path, true)));
            }
            else
            {
                yield return ($"{path} = 12345", () => Json(Set(valid, path, 12345)));
                yield return ($"{path} = false", () => Json(Set(valid, path, false)));
                yield return ($"{path} = \"\"", () => Json(Set(valid, path, "")));
                yield return ($"{path} right-to-left and emoji", () => Json(Set(valid, path, "\u202Eevil\U0001F600")));
            }
        }
    }

    /// <summary>The schema's properties, with their JSON paths (arrays descend into their first item).</summary>
    private static IEnumerable<(string Path, JsonObject Schema)> Properties(JsonObject schema, string prefix)
    {
        foreach (var (name, node) in schema["properties"]?.AsObject() ?? [])
        {
            if (node is not JsonObject property)
            {
                continue;
            }
            var path = prefix.Length == 0 ? name : $"{prefix}.{name}";
            yield return (path, property);
            if (property["properties"] is JsonObject)
            {
                foreach (var nested in Properties(property, path))
                {
                    yield return nested;
                }
            }
            if (property["items"] is JsonObject items && items["properties"] is JsonObject)
            {
                foreach (var nested in Properties(items, $"{path}[0]"))
                {
                    yield return nested;
                }
            }
        }
    }

    /// <summary>A well-formed instance of <paramref name="schema"/>, with values a Shop request would plausibly carry.</summary>
    public static JsonNode? Example(JsonObject schema, FuzzCallers callers, string name)
    {
        var type = new ApiParameter(name, "body", false, schema).Type;
        switch (type)
        {
            case "object":
                var result = new JsonObject();
                foreach (var (property, node) in schema["properties"]?.AsObject() ?? [])
                {
                    result[property] = node is JsonObject child ? Example(child, callers, property) : null;
                }
                return result;
            case "array":
                return new JsonArray(schema["items"] is JsonObject item ? Example(item, callers, name) : JsonValue.Create(1));
            case "integer":
                return JsonValue.Create(name.Equals("productId", StringComparison.OrdinalIgnoreCase) ? callers.Product : 1);
            case "number":
                return JsonValue.Create(2.5m);
            case "boolean":
                return JsonValue.Create(true);
            default:
                return JsonValue.Create(name.ToLowerInvariant() switch
                {
                    "email" => ShopClient.NewEmail(),
                    "password" => ShopClient.GoodPassword,
                    "country" => "NL",
                    "category" => "Books",
                    "orderid" => Guid.NewGuid().ToString(),
                    "paymenttoken" => null,
                    _ when schema["format"]?.GetValue<string>() == "uuid" => Guid.NewGuid().ToString(),
                    _ => $"fuzz {Guid.NewGuid():N}",
                });
        }
    }

    /// <summary>
    /// A request for <paramref name="operation"/> that is well-formed except for what is given: the authorization
    /// header ("default": a valid token where one is needed), parameter values, or the body (null: a valid one).
    /// </summary>
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static StringContent Json(JsonNode? node) => Json(node?.ToJsonString() ?? "null");

    private static ByteArrayContent Bytes(byte[] bytes, string? mediaType)
    {
        var content = new ByteArrayContent(bytes);
        if (mediaType is not null)
        {
            content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        }
        return content;
    }

    private static JsonNode With(JsonNode valid, Action<JsonObject> change)
    {
        var copy = valid.DeepClone();
        if (copy is JsonObject o)
        {
            change(o);
        }
        return copy;
    }

    /// <summary>A copy of <paramref name="valid"/> with the value at <paramref name="path"/> (a.b[0].c) replaced.</summary>
    private static JsonNode Set(JsonNode valid, string path, JsonNode? value) => Edit(valid, path, (parent, key) => parent[key] = value);

    private static JsonNode Remove(JsonNode valid, string path) => Edit(valid, path, (parent, key) => parent.Remove(key));

    private static JsonNode Edit(JsonNode valid, string path, Action<JsonObject, string> edit)
    {
        var copy = valid.DeepClone();
        JsonNode? node = copy;
        var parts = path.Split('.');
        for (var i = 0; i < parts.Length - 1 && node is not null; i++)
        {
            node = Step(node, parts[i]);
        }
        if (node is JsonObject parent)
        {
            edit(parent, parts[^1]);
        }
        return copy;

        static JsonNode? Step(JsonNode node, string part) => part.EndsWith("[0]", StringComparison.Ordinal)
            ? node[part[..^3]] is JsonArray { Count: > 0 } array ? array[0] : null
            : node[part];
    }
}
