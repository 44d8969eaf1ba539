using System.Security.Cryptography;
using System.Text;
using Aspire.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Shop.AppHost.Runtime;

/// <summary>Everything the local runtime needs to know that is not in the app model.</summary>
internal sealed record RuntimeOptions
{
    public required string StateDirectory { get; init; }
    public required bool DeleteStateOnDispose { get; init; }
    public required bool RandomizePorts { get; init; }
    public required bool DashboardEnabled { get; init; }
    public required string DashboardUrl { get; init; }

    /// <summary>The dashboard's OTLP/gRPC receiver (Aspire standalone's 18889; port 0 with random ports).</summary>
    public string DashboardOtlpGrpcUrl { get; init; } = DefaultOtlpGrpcUrl;

    /// <summary>The dashboard's OTLP/HTTP receiver (Aspire standalone's 18890; port 0 with random ports).</summary>
    public string DashboardOtlpHttpUrl { get; init; } = DefaultOtlpHttpUrl;

    public const string DefaultOtlpGrpcUrl = "http://localhost:18889";
    public const string DefaultOtlpHttpUrl = "http://localhost:18890";
    public required string EnvironmentName { get; init; }
    public required string AppHostDirectory { get; init; }
    /// <summary>Install missing Debian packages with apt-get when running as root.</summary>
    public bool AllowPackageInstall { get; init; } = true;

    public static RuntimeOptions From(DistributedApplicationOptions options, IConfiguration configuration, string appHostDirectory, IHostEnvironment environment)
    {
        var stateDir = options.StateDirectory ?? configuration["AppHost:StateDirectory"] ?? DefaultStateDirectory(appHostDirectory);
        var randomize = options.RandomizePorts || string.Equals(configuration["AppHost:RandomizePorts"], "true", StringComparison.OrdinalIgnoreCase);
        return new RuntimeOptions
        {
            StateDirectory = Path.GetFullPath(stateDir),
            DeleteStateOnDispose = options.DeleteStateOnDispose,
            RandomizePorts = randomize,
            DashboardEnabled = !options.DisableDashboard && !string.Equals(configuration["AppHost:DisableDashboard"], "true", StringComparison.OrdinalIgnoreCase),
            DashboardUrl = randomize ? "http://127.0.0.1:0"
                : configuration["ASPNETCORE_URLS"] is { Length: > 0 } urls ? urls.Split(';')[0] : "http://localhost:18888",
            // Aspire's AppHost reads these from its launch profile; its older DOTNET_ names work too.
            DashboardOtlpGrpcUrl = randomize ? "http://127.0.0.1:0"
                : configuration["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] is { Length: > 0 } grpc ? grpc
                : configuration["DOTNET_DASHBOARD_OTLP_ENDPOINT_URL"] is { Length: > 0 } legacyGrpc ? legacyGrpc : DefaultOtlpGrpcUrl,
            DashboardOtlpHttpUrl = randomize ? "http://127.0.0.1:0"
                : configuration["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] is { Length: > 0 } http ? http
                : configuration["DOTNET_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] is { Length: > 0 } legacyHttp ? legacyHttp : DefaultOtlpHttpUrl,
            EnvironmentName = environment.EnvironmentName,
            AppHostDirectory = appHostDirectory,
            AllowPackageInstall = !string.Equals(configuration["AppHost:InstallPackages"], "false", StringComparison.OrdinalIgnoreCase),
        };
    }

    /// <summary>
    /// One state directory per checkout. As root it lives under /var/lib/shop, not in the clone: PostgreSQL runs as user
    /// postgres and could not reach a data directory below a 0700 home such as /root.
    /// </summary>
    public static string DefaultStateDirectory(string appHostDirectory)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(appHostDirectory)))[..10];
        var leaf = $"{Path.GetFileName(Path.GetDirectoryName(appHostDirectory.TrimEnd('/')) ?? "shop")}-{hash}";
        if (Environment.IsPrivilegedProcess)
        {
            return Path.Combine("/var/lib/shop", leaf);
        }
        var stateHome = Environment.GetEnvironmentVariable("XDG_STATE_HOME") is { Length: > 0 } x
            ? x
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        return Path.Combine(stateHome, "shop", leaf);
    }
}
