using System.Diagnostics;
using System.Text.Json;

namespace Shop.Tests.System;

/// <summary>
/// The deployment manifest azd reads, written by the README's command: every service a project, the servers Aspire's
/// containers (no executables, which azd rejects), a database per service, and the bindings that wire them.
/// </summary>
public sealed class ManifestTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] Services = ["identity", "catalog", "inventory", "ordering", "payment", "shipping", "notification"];

    [Fact]
    public async Task the_publish_manifest_has_the_projects_aspires_containers_a_database_per_service_and_their_bindings()
    {
        var manifest = await PublishAsync();
        var resources = manifest.GetProperty("resources").EnumerateObject().ToDictionary(r => r.Name, r => r.Value);
        string TypeOf(string name) => resources[name].GetProperty("type").GetString()!;

        Assert.DoesNotContain(resources.Values, r => r.GetProperty("type").GetString()!.StartsWith("executable", StringComparison.Ordinal));
        foreach (var project in Services.Append("gateway"))
        {
            Assert.StartsWith("project.", TypeOf(project));
            Assert.EndsWith($"{char.ToUpperInvariant(project[0])}{project[1..]}.csproj", resources[project].GetProperty("path").GetString());
        }
        foreach (var server in new[] { "postgres", "messaging", "cache" })
        {
            Assert.StartsWith("container.", TypeOf(server));
        }
        Assert.Contains("postgres", resources["postgres"].GetProperty("image").GetString());
        Assert.Contains("rabbitmq", resources["messaging"].GetProperty("image").GetString());
        Assert.Contains("redis", resources["cache"].GetProperty("image").GetString());
        Assert.Equal("parameter.v0", TypeOf("admin-password"));

        foreach (var service in Services)
        {
            var database = $"{service}db";
            Assert.Equal("value.v0", TypeOf(database));
            Assert.Contains("{postgres.", resources[database].GetProperty("connectionString").GetString());
            var env = Environment(resources[service]);
            // Its own database and the broker, by connection string; HTTP bindings for the gateway to reach it.
            Assert.Equal($"{{{database}.connectionString}}", env[$"ConnectionStrings__{database}"]);
            Assert.Equal("{messaging.connectionString}", env["ConnectionStrings__messaging"]);
            Assert.True(resources[service].GetProperty("bindings").TryGetProperty("http", out _), $"{service} has no http binding");
            Assert.DoesNotContain(env.Keys, k => k.StartsWith("ConnectionStrings__", StringComparison.Ordinal) && k.EndsWith("db", StringComparison.Ordinal) && k != $"ConnectionStrings__{database}");
        }
        // Service discovery: who calls whom, by the other's endpoint.
        var ordering = Environment(resources["ordering"]);
        Assert.Equal("{catalog.bindings.grpc.url}", ordering["services__catalog__grpc__0"]);
        Assert.Equal("{cache.connectionString}", ordering["ConnectionStrings__cache"]);
        var gateway = Environment(resources["gateway"]);
        foreach (var service in Services)
        {
            Assert.Equal($"{{{service}.bindings.http.url}}", gateway[$"services__{service}__http__0"]);
        }
        Assert.True(resources["gateway"].GetProperty("bindings").GetProperty("http").TryGetProperty("external", out var external) && external.GetBoolean(),
            "the gateway is the public entry point");
    }

    [Fact]
    public async Task a_services_section_of_the_apphosts_configuration_reaches_that_service_as_its_own()
    {
        var manifest = await PublishAsync("--Services:gateway:RateLimiting:UserPermitLimit=7", "--Services:payment:Payment:Provider:SlowTokens:1=tok_late");
        var resources = manifest.GetProperty("resources");

        var gateway = Environment(resources.GetProperty("gateway"));
        Assert.Equal("7", gateway["RateLimiting__UserPermitLimit"]);
        var payment = Environment(resources.GetProperty("payment"));
        Assert.Equal("tok_late", payment["Payment__Provider__SlowTokens__1"]);
        // Only the named service gets it.
        Assert.DoesNotContain("RateLimiting__UserPermitLimit", Environment(resources.GetProperty("catalog")).Keys);
        Assert.DoesNotContain("Payment__Provider__SlowTokens__1", gateway.Keys);
    }

    private static Dictionary<string, string> Environment(JsonElement resource)
        => resource.GetProperty("env").EnumerateObject().ToDictionary(e => e.Name, e => e.Value.GetString() ?? "");

    /// <summary>Runs the AppHost as the README says (built already, as the test run builds it), into a temporary file.</summary>
    private static async Task<JsonElement> PublishAsync(params string[] settings)
    {
        var project = Projects.Shop_AppHost.ProjectPath;
        var output = Path.Combine(Path.GetTempPath(), $"shop-manifest-{Guid.NewGuid():N}");
        Directory.CreateDirectory(output);
        try
        {
            var path = Path.Combine(output, "aspire-manifest.json");
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = output };
            foreach (var arg in new[] { "run", "--project", project, "--no-build", "--", "--publisher", "manifest", "--output-path", path }.Concat(settings))
            {
                psi.ArgumentList.Add(arg);
            }
            using var process = Process.Start(psi)!;
            var stdout = process.StandardOutput.ReadToEndAsync(Ct);
            var stderr = process.StandardError.ReadToEndAsync(Ct);
            await process.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromMinutes(2), Ct);
            Assert.True(process.ExitCode == 0, $"the manifest command failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
            using var document = JsonDocument.Parse(await File.ReadAllTextAsync(path, Ct));
            return document.RootElement.Clone();
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
