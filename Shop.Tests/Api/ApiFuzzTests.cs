using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
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

    private sealed record Outcome(FuzzCase Case, string TraceId, int Status, string? MediaType, string Body, TimeSpan Took, long Finished);

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
        var cases = operations.SelectMany(operation => FuzzCases.For(operation, callers, random, CasesPerOperation)).ToList();

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
                var outcome = new Outcome(@case, traceId, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, watch.Elapsed, Stopwatch.GetTimestamp());
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
        // The services export logs and spans in batches, on the same schedule: wait until the traces of the requests
        // that finished last have arrived, then until the error logs stop changing between two reads.
        foreach (var outcome in outcomes.OrderByDescending(o => o.Finished).Take(3))
        {
            await DashboardTraces.WaitForAsync(() => DashboardTraces.TraceAsync(api, outcome.TraceId, Ct), spans => spans.Count > 0,
                spans => $"{spans.Count} spans", $"the trace of {outcome.Case.Operation} [{outcome.Case.What}]", TimeSpan.FromSeconds(30), Ct);
        }
        string? previous = null;
        var errors = await DashboardTraces.WaitForAsync(async () =>
            {
                using var response = await api.GetAsync("/api/telemetry/logs?severity=Error&limit=100000", Ct);
                response.EnsureSuccessStatusCode();
                var (before, now) = (previous, await response.Content.ReadAsStringAsync(Ct));
                previous = now;
                return (Stable: before == now, Json: now);
            },
            read => read.Stable, read => $"{read.Json.Length} bytes of error logs, still changing", "the error logs to settle", TimeSpan.FromSeconds(30), Ct);

        var fuzzTraces = outcomes.ToDictionary(o => o.TraceId, StringComparer.OrdinalIgnoreCase);
        using var logs = JsonDocument.Parse(errors.Json);
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

    private async Task<FuzzCallers> CallersAsync()
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
        return new FuzzCallers
        {
            Admins = [.. admins.Select(a => a.AccessToken)],
            Customers = [.. customers.Select(c => c.Token.AccessToken)],
            Product = product,
            ThrowawayProduct = throwaway,
            ForeignToken = foreign,
        };
    }
}
