using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Shop.Tests.Api;

/// <summary>A parameter of an operation as its document describes it.</summary>
public sealed record ApiParameter(string Name, string In, bool Required, JsonObject Schema)
{
    /// <summary>The schema's first type other than "null": "integer", "string" (with format "uuid" for ids), ...</summary>
    public string Type => Schema["type"] switch
    {
        JsonValue single => single.GetValue<string>(),
        JsonArray many => many.Select(t => t!.GetValue<string>()).FirstOrDefault(t => t != "null") ?? "string",
        _ => "string",
    };

    public string? Format => Schema["format"]?.GetValue<string>();
}

/// <summary>One operation of one public document: what the fuzz walks and the conformance test checks.</summary>
public sealed record ApiOperation(
    string Document, string Method, string Path, string OperationId, string? Summary, IReadOnlyList<ApiParameter> Parameters,
    JsonObject? RequestSchema, bool RequiresToken, bool AdminOnly, IReadOnlyDictionary<string, JsonObject?> Responses)
{
    public override string ToString() => $"{Method} {Path} ({OperationId}, {Document})";

    /// <summary>Validates a response against the schema documented for its status; null when it conforms.</summary>
    public string? Check(int status, string? mediaType, string body)
    {
        var key = status.ToString(CultureInfo.InvariantCulture);
        if (!Responses.TryGetValue(key, out var schema))
        {
            return $"{this}: {status} is not a documented response ({string.Join(", ", Responses.Keys)}); body: {Trim(body)}";
        }
        if (schema is null)
        {
            return body.Length == 0 ? null : $"{this}: {status} is documented without a body, but one came: {Trim(body)}";
        }
        if (mediaType is not ("application/json" or "application/problem+json"))
        {
            return $"{this}: {status} came as {mediaType ?? "no content type"}, documented as JSON; body: {Trim(body)}";
        }
        using var instance = JsonDocument.Parse(body);
        var results = JsonSchema.FromText(schema.ToJsonString()).Evaluate(instance.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return null;
        }
        var errors = (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"));
        return $"{this}: the {status} body does not match its schema: {string.Join("; ", errors)}; body: {Trim(body)}";
    }

    private static string Trim(string body) => body.Length > 400 ? body[..400] + "…" : body;
}

/// <summary>
/// The public API as the gateway publishes it: the index at <c>/openapi</c>, each document it lists, and their
/// operations, with every <c>$ref</c> to a component schema inlined so a schema stands on its own.
/// </summary>
public static class ApiContract
{
    public sealed record DocumentEntry(string Service, string Document, string Title, string Url);

    public static async Task<IReadOnlyList<DocumentEntry>> IndexAsync(HttpClient gateway, CancellationToken ct)
    {
        using var response = await gateway.GetAsync("/openapi", ct);
        response.EnsureSuccessStatusCode();
        return JsonSerializer.Deserialize<List<DocumentEntry>>(await response.Content.ReadAsStringAsync(ct), JsonSerializerOptions.Web)!;
    }

    public static async Task<IReadOnlyList<ApiOperation>> OperationsAsync(HttpClient gateway, CancellationToken ct)
    {
        var operations = new List<ApiOperation>();
        foreach (var entry in await IndexAsync(gateway, ct))
        {
            using var response = await gateway.GetAsync(entry.Url, ct);
            Assert.True(response.IsSuccessStatusCode, $"{entry.Url}: {(int)response.StatusCode}");
            operations.AddRange(Operations(entry.Url, JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!.AsObject()));
        }
        return operations;
    }

    public static List<ApiOperation> Operations(string documentUrl, JsonObject document)
    {
        var operations = new List<ApiOperation>();
        var components = document["components"]?["schemas"]?.AsObject() ?? [];
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, node) in item!.AsObject())
            {
                if (method is "parameters" or "summary" or "description" or "servers")
                {
                    continue;
                }
                var operation = node!.AsObject();
                var parameters = (operation["parameters"]?.AsArray() ?? []).Select(p => new ApiParameter(
                    p!["name"]!.GetValue<string>(), p["in"]!.GetValue<string>(), p["required"]?.GetValue<bool>() ?? false,
                    Inline(p["schema"]?.AsObject() ?? [], components))).ToList();
                var body = operation["requestBody"]?["content"]?["application/json"]?["schema"]?.AsObject();
                var responses = operation["responses"]!.AsObject().ToDictionary(
                    r => r.Key,
                    r => r.Value!["content"]?.AsObject().Select(c => c.Value!["schema"]?.AsObject()).FirstOrDefault(s => s is not null) is { } schema
                        ? Inline(schema, components)
                        : null);
                var security = operation["security"]?.AsArray() is { Count: > 0 };
                operations.Add(new ApiOperation(documentUrl, method.ToUpperInvariant(), path,
                    operation["operationId"]?.GetValue<string>() ?? $"{method} {path}", operation["summary"]?.GetValue<string>(), parameters,
                    body is null ? null : Inline(body, components), security, responses.ContainsKey("403"), responses));
            }
        }
        return operations;
    }

    /// <summary>A copy of <paramref name="schema"/> with every component reference replaced by the component itself.</summary>
    public static JsonObject Inline(JsonObject schema, JsonObject components, int depth = 0)
    {
        if (depth > 32)
        {
            return []; // A recursive schema: deeper levels accept anything.
        }
        if (schema["$ref"]?.GetValue<string>() is { } reference && reference.StartsWith("#/components/schemas/", StringComparison.Ordinal))
        {
            var target = components[reference["#/components/schemas/".Length..]]?.AsObject()
                ?? throw new InvalidOperationException($"{reference} is not in the document.");
            return Inline(target, components, depth + 1);
        }
        var copy = new JsonObject();
        foreach (var (key, value) in schema)
        {
            copy[key] = value switch
            {
                JsonObject child => Inline(child, components, depth + 1),
                JsonArray array => new JsonArray([.. array.Select(e => e is JsonObject o ? Inline(o, components, depth + 1) : e?.DeepClone())]),
                _ => value?.DeepClone(),
            };
        }
        return copy;
    }
}
