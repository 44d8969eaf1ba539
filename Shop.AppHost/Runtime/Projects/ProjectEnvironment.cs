using System.Globalization;
using Aspire.Hosting.ApplicationModel;

namespace Shop.AppHost.Runtime.Projects;

/// <summary>
/// The environment a project process gets: exactly what .NET Aspire hands a project in run mode (ASPIRE-CONTRACT §2),
/// so the services run unchanged under real Aspire. Pure: the tests call it directly.
/// </summary>
internal static class ProjectEnvironment
{
    public sealed record Replica(string InstanceId, IReadOnlyDictionary<string, int> TargetPorts);

    /// <summary>Carries the dashboard's OTLP API key (Aspire's ApiKey mode): a secret.</summary>
    public const string OtlpHeadersVariable = "OTEL_EXPORTER_OTLP_HEADERS";

    /// <param name="otlpEndpoint">The dashboard's OTLP/gRPC URL, or null when no dashboard listens (then no exporter settings).</param>
    /// <param name="otlpApiKey">The key the receiver expects in <c>x-otlp-api-key</c>, or null when it needs none.</param>
    public static async Task<Dictionary<string, string>> BuildAsync(ProjectResource project, Replica replica, string environmentName,
        DistributedApplicationExecutionContext executionContext, string? otlpEndpoint, string? otlpApiKey = null, CancellationToken ct = default)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ASPNETCORE_ENVIRONMENT"] = environmentName,
            ["DOTNET_ENVIRONMENT"] = environmentName,
            // As Aspire: an endpoint that names its own port variable (WithHttpEndpoint(env: ...)) is left out, the
            // process listens on it itself (it may need other settings there, e.g. HTTP/2 only for gRPC).
            ["ASPNETCORE_URLS"] = string.Join(';', project.Annotations.OfType<EndpointAnnotation>()
                .Where(e => e.UriScheme is "http" or "https" && e.TargetPortEnvironmentVariable is null)
                .Select(e => $"{e.UriScheme}://127.0.0.1:{replica.TargetPorts[e.Name].ToString(CultureInfo.InvariantCulture)}")),
            ["OTEL_SERVICE_NAME"] = project.Name,
            ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={replica.InstanceId}",
            ["OTEL_TRACES_SAMPLER"] = "always_on",
            ["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"] = "in_memory",
            ["OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EXCEPTION_LOG_ATTRIBUTES"] = "true",
            ["OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EVENT_LOG_ATTRIBUTES"] = "true",
            ["LOGGING__CONSOLE__FORMATTERNAME"] = "simple",
            ["LOGGING__CONSOLE__FORMATTEROPTIONS__TIMESTAMPFORMAT"] = "yyyy-MM-ddTHH:mm:ss.fffffff ",
            ["DOTNET_SYSTEM_CONSOLE_ALLOW_ANSI_COLOR_REDIRECTION"] = "true",
        };
        if (otlpEndpoint is not null)
        {
            env["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlpEndpoint;
            env["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc";
            if (otlpApiKey is not null)
            {
                env[OtlpHeadersVariable] = $"x-otlp-api-key={otlpApiKey}";
            }
            if (environmentName == "Development")
            {
                // Aspire exports every second in development so the dashboard is live.
                env["OTEL_BLRP_SCHEDULE_DELAY"] = "1000";
                env["OTEL_BSP_SCHEDULE_DELAY"] = "1000";
                env["OTEL_METRIC_EXPORT_INTERVAL"] = "1000";
            }
        }
        foreach (var e in project.Annotations.OfType<EndpointAnnotation>().Where(e => e.TargetPortEnvironmentVariable is not null))
        {
            env[e.TargetPortEnvironmentVariable!] = replica.TargetPorts[e.Name].ToString(CultureInfo.InvariantCulture);
        }

        var context = new EnvironmentCallbackContext(executionContext, project, ct);
        foreach (var callback in project.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context).ConfigureAwait(false);
        }
        foreach (var (name, value) in context.EnvironmentVariables)
        {
            env[name] = value switch
            {
                string s => s,
                IValueProvider p => await p.GetValueAsync(ct).ConfigureAwait(false) ?? "",
                _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
            };
        }
        return env;
    }

    /// <summary>Names whose values are masked in the dashboard.</summary>
    public static bool IsSecret(ProjectResource project, string name)
        => project.Annotations.OfType<SecretEnvironmentVariableAnnotation>().Any(a => a.Name == name)
           || name.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase) || name.Contains("SECRET", StringComparison.OrdinalIgnoreCase)
           || name.StartsWith("ConnectionStrings__", StringComparison.Ordinal)
           || name == OtlpHeadersVariable;

    /// <summary>Aspire names replicas {resource}-{8 random lowercase letters and digits}.</summary>
    public static string NewInstanceId(string resourceName)
        => $"{resourceName}-{System.Security.Cryptography.RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 8)}";
}
