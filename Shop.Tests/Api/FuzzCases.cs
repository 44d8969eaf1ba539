using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.IdentityModel.Tokens;

namespace Shop.Tests.Api;

/// <summary>One malformed request for one operation, and what it breaks.</summary>
/// <param name="RefusedByServer">
/// Kestrel itself refuses it while parsing the request (a NUL in the path), with a bare 400 before any middleware
/// runs, so no ProblemDetails can be written: such a case must get that 400 and nothing worse.
/// </param>
public sealed record FuzzCase(ApiOperation Operation, string What, Func<HttpRequestMessage> Create, bool RefusedByServer = false);

/// <summary>Who calls, and what a well-formed request would carry; the cases break one thing at a time.</summary>
public sealed class FuzzCallers
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

/// <summary>
/// The malformed requests the fuzz sends, built from an operation's document: each is well-formed except for one
/// thing (the token, a parameter, the body or its content type), so it reaches the check that should refuse it.
/// </summary>
public static class FuzzCases
{
    public static IEnumerable<FuzzCase> For(ApiOperation operation, FuzzCallers callers, Random random, int drawnPerOperation)
    {
        var all = new List<FuzzCase>();
        // Rotating the signing keys works for anyone the gateway lets through; other tests need a stable key set.
        var mutatesSharedState = operation.OperationId == "RotateSigningKey";

        if (operation.RequiresToken)
        {
            foreach (var (what, authorization) in TokenCases(callers))
            {
                all.Add(new FuzzCase(operation, what, () => Build(operation, callers, authorization: authorization)));
            }
            if (operation.AdminOnly)
            {
                all.Add(new FuzzCase(operation, "a customer's token on an admin operation",
                    () => Build(operation, callers, authorization: $"Bearer {callers.Customers[0]}")));
            }
        }
        if (mutatesSharedState)
        {
            return all;
        }

        var drawn = new List<FuzzCase>();
        foreach (var parameter in operation.Parameters)
        {
            foreach (var (what, value) in ParameterValues(parameter))
            {
                drawn.Add(new FuzzCase(operation, $"{parameter.In} {parameter.Name} = {Describe(value)}",
                    () => Build(operation, callers, overrides: new Dictionary<string, string?> { [parameter.Name] = value }),
                    RefusedByServer: parameter.In == "path" && value.Contains("%00", StringComparison.Ordinal)));
            }
            if (parameter.Required && parameter.In is "query" or "header")
            {
                drawn.Add(new FuzzCase(operation, $"{parameter.In} {parameter.Name} missing",
                    () => Build(operation, callers, overrides: new Dictionary<string, string?> { [parameter.Name] = null })));
            }
        }
        if (operation.RequestSchema is { } schema)
        {
            foreach (var (what, content) in FuzzBodies.Cases(schema, callers))
            {
                drawn.Add(new FuzzCase(operation, what, () => Build(operation, callers, body: content)));
            }
        }
        else if (operation.Method is "POST" or "PUT")
        {
            drawn.Add(new FuzzCase(operation, "an unexpected JSON body", () => Build(operation, callers,
                body: () => FuzzBodies.Json("{\"unexpected\":[1,2,3]}"))));
        }
        // A seeded draw keeps the run short and still covers every kind of case across runs; the seed replays it.
        all.AddRange(drawn.OrderBy(_ => random.Next()).Take(drawnPerOperation));
        return all;
    }

    private static IEnumerable<(string What, string? Authorization)> TokenCases(FuzzCallers callers)
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

    private static HttpRequestMessage Build(ApiOperation operation, FuzzCallers callers,
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
            : operation.RequestSchema is { } schema ? FuzzBodies.Json(FuzzBodies.Example(schema, callers, "")?.ToJsonString() ?? "null")
            : null;
        return request;
    }

    private static string? Valid(ApiParameter parameter, ApiOperation operation, FuzzCallers callers) => parameter.In switch
    {
        "path" when parameter.Type is "integer" => (operation.Method == "DELETE" ? callers.ThrowawayProduct : callers.Product).ToString(CultureInfo.InvariantCulture),
        "path" => Guid.NewGuid().ToString(),
        "header" when parameter.Name == "Idempotency-Key" => Guid.NewGuid().ToString(),
        "query" when parameter.Format == "uuid" => Guid.NewGuid().ToString(),
        "query" when parameter.Required => parameter.Type is "integer" ? "1" : "fuzz",
        _ => null,
    };

    private static string Describe(string value) => value.Length > 40 ? $"{value.Length} chars" : $"\"{value}\"";

}
