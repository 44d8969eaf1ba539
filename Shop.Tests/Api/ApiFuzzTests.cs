using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Shop.Tests.Edge;
using Shop.Tests.Ordering;

namespace Shop.Tests.Api;

/// <summary>
/// Walks every operation of every public document through the gateway with malformed input: broken and foreign
/// tokens, bad ids in the path, wrong and hostile query values, wrong content types, unreadable and hostile bodies
/// (wrong JSON types, missing and extra fields, NUL bytes, invalid UTF-8, 100 KB strings, deep nesting, huge and
/// negative numbers). Every answer must be a 4xx ProblemDetails or a success the document names; never a 5xx, never
/// a hang; and no service may log an Error for any of these requests (read from the Aspire dashboard's structured
/// logs by each request's trace id). The cases are drawn from a seeded generator: the seed is printed, and
/// <c>SHOP_FUZZ_SEED=&lt;seed&gt;</c> replays a run.
/// </summary>
public sealed class ApiFuzzTests(ShopAppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Cases drawn per operation beside the token cases, which every operation that needs a token gets.</summary>
    private const int CasesPerOperation = 14;

    private static readonly TimeSpan RequestDeadline = TimeSpan.FromSeconds(20);

    /// <param name="RefusedByServer">
    /// Kestrel itself refuses it while parsing the request (a NUL in the path), with a bare 400 before any middleware
    /// runs, so no ProblemDetails can be written: such a case must get that 400 and nothing worse.
    /// </param>
    private sealed record Case(ApiOperation Operation, string What, Func<HttpRequestMessage> Create, bool RefusedByServer = false);

    private sealed record Outcome(Case Case, string TraceId, int Status, string? MediaType, string Body, TimeSpan Took);

    /// <summary>Who calls, and what a well-formed request would carry; the cases break one thing at a time.</summary>
    private sealed class Callers
    {
        public required string[] Admins { get; init; }
        public required string[] Customers { get; init; }
        public required int Product { get; init; }
        public required int ThrowawayProduct { get; init; }
        public required string ForeignToken { get; init; }
        private int _next;

        public string TokenFor(ApiOperation operation)
        {
            var pool = operation.AdminOnly ? Admins : Customers;
            return pool[(int)((uint)Interlocked.Increment(ref _next) % pool.Length)];
        }
    }

    [Fact]
    public async Task every_documented_operation_answers_malformed_input_with_a_4xx_problem_never_a_5xx_a_hang_or_an_error_log()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("SHOP_FUZZ_SEED"), CultureInfo.InvariantCulture, out var fixedSeed)
            ? fixedSeed
            : Random.Shared.Next();
        TestContext.Current.TestOutputHelper?.WriteLine($"Fuzz seed {seed} (replay: SHOP_FUZZ_SEED={seed} dotnet test)");
        var random = new Random(seed);

        var operations = await ApiContract.OperationsAsync(fixture.Gateway, Ct);
        var callers = await CallersAsync();
        var cases = operations.SelectMany(operation => Cases(operation, callers, random)).ToList();

        // Without the test process's own trace propagation, so each request's trace id is the one it is given here.
        using var client = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null })
        {
            BaseAddress = fixture.Gateway.BaseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var outcomes = new ConcurrentBag<Outcome>();
        var failures = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = Ct }, async (@case, ct) =>
        {
            var traceId = ActivityTraceId.CreateRandom().ToHexString();
            var watch = Stopwatch.StartNew();
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(RequestDeadline);
            try
            {
                using var response = await ApiCallers.SendAsync(client, () =>
                {
                    var request = @case.Create();
                    request.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
                    return request;
                }, deadline.Token);
                var body = await response.Content.ReadAsStringAsync(deadline.Token);
                var outcome = new Outcome(@case, traceId, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, watch.Elapsed);
                outcomes.Add(outcome);
                if (Judge(outcome) is { } failure)
                {
                    failures.Add(failure);
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                failures.Add($"{@case.Operation} [{@case.What}]: no answer within {RequestDeadline.TotalSeconds} s");
            }
        });

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{outcomes.Count} requests over {operations.Count} operations: " +
            string.Join(", ", outcomes.GroupBy(o => o.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}")));
        var errorLogs = await ErrorsLoggedAsync([.. outcomes]);
        Assert.True(failures.IsEmpty && errorLogs.Count == 0,
            $"Fuzz seed {seed}:{Environment.NewLine}{string.Join(Environment.NewLine, failures.Take(40))}" +
            $"{Environment.NewLine}Errors logged for these requests:{Environment.NewLine}{string.Join(Environment.NewLine, errorLogs.Take(20))}");
        // Not vacuous: the cases reached the services' own validation, not only the gateway's token check.
        Assert.Contains(outcomes, o => o.Status == 400 && o.Case.Operation.RequestSchema is not null);
        Assert.Contains(outcomes, o => o.Status == 401);
    }

    /// <summary>Null when the answer is acceptable; otherwise what was wrong with it.</summary>
    private static string? Judge(Outcome o)
    {
        var where = $"{o.Case.Operation} [{o.Case.What}]";
        var body = o.Body.Length > 300 ? o.Body[..300] + "…" : o.Body;
        if (o.Status >= 500)
        {
            return $"{where}: {o.Status} {body}";
        }
        if (o.Case.RefusedByServer)
        {
            return o.Status == 400 ? null : $"{where}: {o.Status}, expected Kestrel's 400: {body}";
        }
        if (o.Status >= 400)
        {
            if (o.MediaType != "application/problem+json")
            {
                return $"{where}: {o.Status} as {o.MediaType ?? "no content type"}, not a ProblemDetails: {body}";
            }
            using var problem = JsonDocument.Parse(o.Body);
            return problem.RootElement.ValueKind == JsonValueKind.Object && problem.RootElement.TryGetProperty("status", out var status)
                   && status.GetInt32() == o.Status
                ? null
                : $"{where}: {o.Status} with a ProblemDetails whose status is not {o.Status}: {body}";
        }
        var key = o.Status.ToString(CultureInfo.InvariantCulture);
        return o.Case.Operation.Responses.ContainsKey(key) ? null : $"{where}: {o.Status}, which the document does not name: {body}";
    }

    /// <summary>The Error (and Critical) entries any resource logged under the trace id of one of these requests.</summary>
    private async Task<List<string>> ErrorsLoggedAsync(IReadOnlyList<Outcome> outcomes)
    {
        using var api = fixture.DashboardApi();
        // The services export logs and spans in batches: wait until the last requests' traces have arrived.
        var sample = outcomes.OrderByDescending(o => o.Took).Take(3).ToList();
        foreach (var outcome in sample)
        {
            await DashboardTraces.WaitForAsync(() => DashboardTraces.TraceAsync(api, outcome.TraceId, Ct), spans => spans.Count > 0,
                spans => $"{spans.Count} spans", $"the trace of {outcome.Case.Operation} [{outcome.Case.What}]", TimeSpan.FromSeconds(30), Ct);
        }
        await Task.Delay(TimeSpan.FromSeconds(3), Ct);

        var fuzzTraces = outcomes.ToDictionary(o => o.TraceId, StringComparer.OrdinalIgnoreCase);
        using var response = await api.GetAsync("/api/telemetry/logs?severity=Error&limit=100000", Ct);
        response.EnsureSuccessStatusCode();
        using var logs = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return LogRecords(logs.RootElement)
            .Where(r => r.TryGetProperty("traceId", out var id) && id.GetString() is { } traceId && fuzzTraces.ContainsKey(traceId))
            .Select(r =>
            {
                var outcome = fuzzTraces[r.GetProperty("traceId").GetString()!];
                var message = r.TryGetProperty("body", out var b) && b.TryGetProperty("stringValue", out var s) ? s.GetString() : b.ToString();
                return $"{outcome.Case.Operation} [{outcome.Case.What}] → {outcome.Status}: logged {r.GetProperty("severityText").GetString()}: {message}";
            })
            .ToList();
    }

    private static IEnumerable<JsonElement> LogRecords(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name == "logRecords")
                {
                    foreach (var record in property.Value.EnumerateArray())
                    {
                        yield return record;
                    }
                }
                else
                {
                    foreach (var nested in LogRecords(property.Value))
                    {
                        yield return nested;
                    }
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                foreach (var nested in LogRecords(item))
                {
                    yield return nested;
                }
            }
        }
    }

    private async Task<Callers> CallersAsync()
    {
        var admins = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => ApiCallers.NewAdminAsync(fixture, Ct)));
        var customers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => ShopClient.NewCustomerAsync(fixture.Gateway, Ct)));
        var product = await OrderFlow.NewProductAsync(fixture.Gateway, admins[0].AccessToken, 9.5m, 1000, Ct);
        var throwaway = await OrderFlow.NewProductAsync(fixture.Gateway, admins[1].AccessToken, 1m, 1, Ct);
        using var foreignKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var foreign = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "shop-identity",
            Audience = "shop",
            Claims = new Dictionary<string, object> { ["sub"] = Guid.NewGuid().ToString(), ["role"] = "admin" },
            Expires = DateTime.UtcNow.AddMinutes(10),
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(foreignKey) { KeyId = "foreign" }, SecurityAlgorithms.EcdsaSha256),
        });
        return new Callers
        {
            Admins = [.. admins.Select(a => a.AccessToken)],
            Customers = [.. customers.Select(c => c.Token.AccessToken)],
            Product = product,
            ThrowawayProduct = throwaway,
            ForeignToken = foreign,
        };
    }

    // ---- the cases ------------------------------------------------------------------------------------------------

    private static readonly string Long = new('x', 100_000);

    private static IEnumerable<Case> Cases(ApiOperation operation, Callers callers, Random random)
    {
        var all = new List<Case>();
        // Rotating the signing keys works for anyone the gateway lets through; other tests need a stable key set.
        var mutatesSharedState = operation.OperationId == "RotateSigningKey";

        if (operation.RequiresToken)
        {
            foreach (var (what, authorization) in TokenCases(callers))
            {
                all.Add(new Case(operation, what, () => Build(operation, callers, authorization: authorization)));
            }
            if (operation.AdminOnly)
            {
                all.Add(new Case(operation, "a customer's token on an admin operation",
                    () => Build(operation, callers, authorization: $"Bearer {callers.Customers[0]}")));
            }
        }
        if (mutatesSharedState)
        {
            return all;
        }

        var drawn = new List<Case>();
        foreach (var parameter in operation.Parameters)
        {
            foreach (var (what, value) in ParameterValues(parameter))
            {
                drawn.Add(new Case(operation, $"{parameter.In} {parameter.Name} = {Describe(value)}",
                    () => Build(operation, callers, overrides: new Dictionary<string, string?> { [parameter.Name] = value }),
                    RefusedByServer: parameter.In == "path" && value.Contains("%00", StringComparison.Ordinal)));
            }
            if (parameter.Required && parameter.In is "query" or "header")
            {
                drawn.Add(new Case(operation, $"{parameter.In} {parameter.Name} missing",
                    () => Build(operation, callers, overrides: new Dictionary<string, string?> { [parameter.Name] = null })));
            }
        }
        if (operation.RequestSchema is { } schema)
        {
            foreach (var (what, content) in BodyCases(schema, callers))
            {
                drawn.Add(new Case(operation, what, () => Build(operation, callers, body: content)));
            }
        }
        else if (operation.Method is "POST" or "PUT")
        {
            drawn.Add(new Case(operation, "an unexpected JSON body", () => Build(operation, callers,
                body: () => Json("{\"unexpected\":[1,2,3]}"))));
        }
        // A seeded draw keeps the run short and still covers every kind of case across runs; the seed replays it.
        all.AddRange(drawn.OrderBy(_ => random.Next()).Take(CasesPerOperation));
        return all;
    }

    private static IEnumerable<(string What, string? Authorization)> TokenCases(Callers callers)
    {
        yield return ("no token", null);
        yield return ("an empty bearer token", "Bearer ");
        yield return ("a bearer token that is not a JWT", "Bearer not-a-token");
        yield return ("a JWT of three garbage parts", "Bearer e30.e30.AAAA");
        yield return ("an unsigned JWT (alg none)", "Bearer " + Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." +
            Base64UrlEncoder.Encode($"{{\"iss\":\"shop-identity\",\"aud\":\"shop\",\"sub\":\"{Guid.NewGuid()}\",\"role\":\"admin\",\"exp\":{DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds()}}}") + ".");
        yield return ("a JWT signed by a foreign key", $"Bearer {callers.ForeignToken}");
        yield return ("another scheme (Basic)", "Basic YWRtaW46YWRtaW4=");
        yield return ("a 10 KB bearer token", "Bearer " + new string('a', 10_000));
    }

    private static IEnumerable<(string What, string Value)> ParameterValues(ApiParameter parameter)
    {
        string[] hostile = ["%00", "%FF%FE", "%C3%28", "' OR '1'='1", "..%2F..%2Fetc%2Fpasswd", "%E2%80%AE", new string('y', 4000), ""];
        string[] values = parameter.Type switch
        {
            "integer" or "number" => ["-1", "0", "2147483648", "-2147483649", "99999999999999999999999", "1.5", "1e309", "NaN", "abc", "0x10", .. hostile],
            _ when parameter.Format == "uuid" => ["not-a-guid", "00000000-0000-0000-0000-000000000000", "{" + Guid.NewGuid() + "}", Guid.NewGuid().ToString("N"), .. hostile],
            _ => ["-1", "0", "2147483648", "abc", "true", .. hostile],
        };
        return values.Select(v => (v, v));
    }

    private static IEnumerable<(string What, Func<HttpContent?> Content)> BodyCases(JsonObject schema, Callers callers)
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
    private static JsonNode? Example(JsonObject schema, Callers callers, string name)
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
    private static HttpRequestMessage Build(ApiOperation operation, Callers callers,
        string? authorization = "default", IReadOnlyDictionary<string, string?>? overrides = null, Func<HttpContent?>? body = null)
    {
        var path = operation.Path;
        var query = new List<string>();
        var headers = new List<(string, string)>();
        foreach (var parameter in operation.Parameters)
        {
            string? value;
            if (overrides is not null && overrides.TryGetValue(parameter.Name, out var given))
            {
                value = given;
            }
            else
            {
                value = Valid(parameter, operation, callers);
            }
            if (value is null)
            {
                continue;
            }
            switch (parameter.In)
            {
                case "path":
                    // Overrides go in as written (they are percent-encoded where they mean to be); valid values are plain.
                    path = path.Replace("{" + parameter.Name + "}", value, StringComparison.Ordinal);
                    break;
                case "query":
                    query.Add($"{parameter.Name}={value}");
                    break;
                case "header":
                    headers.Add((parameter.Name, value));
                    break;
            }
        }
        var uri = query.Count == 0 ? path : $"{path}?{string.Join('&', query)}";
        var request = new HttpRequestMessage(new HttpMethod(operation.Method), new Uri(uri, UriKind.Relative));
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        if (authorization == "default")
        {
            if (operation.RequiresToken)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", callers.TokenFor(operation));
            }
        }
        else if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        request.Content = body is not null ? body()
            : operation.RequestSchema is { } schema ? Json(Example(schema, callers, "")?.ToJsonString() ?? "null")
            : null;
        return request;
    }

    private static string? Valid(ApiParameter parameter, ApiOperation operation, Callers callers) => parameter.In switch
    {
        "path" when parameter.Type is "integer" => (operation.Method == "DELETE" ? callers.ThrowawayProduct : callers.Product).ToString(CultureInfo.InvariantCulture),
        "path" => Guid.NewGuid().ToString(),
        "header" when parameter.Name == "Idempotency-Key" => Guid.NewGuid().ToString(),
        "query" when parameter.Format == "uuid" => Guid.NewGuid().ToString(),
        "query" when parameter.Required => parameter.Type is "integer" ? "1" : "fuzz",
        _ => null,
    };

    private static string Describe(string value) => value.Length > 40 ? $"{value.Length} chars" : $"\"{value}\"";

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

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
