using System.Security.Cryptography;
using Aspire.Hosting.ApplicationModel;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Shop.AppHost.Dashboard;
using Shop.AppHost.Dashboard.Telemetry;

namespace Shop.AppHost.Runtime;

/// <summary>Where the services export telemetry: the dashboard's OTLP/gRPC URL and the API key it expects (a secret).</summary>
internal sealed record OtlpTarget(string Endpoint, string? ApiKey)
{
    public override string ToString() => $"{Endpoint} (API key {(ApiKey is null ? "none" : "set")})"; // never the key itself
}

/// <summary>
/// Serves the dashboard from the AppHost process, behind a browser token printed once in the console (as Aspire), with
/// its OTLP receiver behind an API key generated per run and handed only to the services (never logged).
/// </summary>
internal sealed class DashboardRunner(
    RuntimeOptions options,
    ResourceNotificationService notifications,
    ResourceLoggerService logs,
    ResourceCommandService commands,
    TelemetryRepository telemetry,
    ILogger logger) : IAsyncDisposable
{
    private WebApplication? _app;

    public string? LoginUrl { get; private set; }

    /// <summary>The OTLP/gRPC receiver and its key once the dashboard runs; null otherwise (then services get no exporter).</summary>
    public OtlpTarget? Otlp { get; private set; }

    /// <summary>The OTLP/HTTP receiver's URL once the dashboard runs.</summary>
    public string? OtlpHttpUrl { get; private set; }

    public async Task StartAsync(CancellationToken ct)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var apiKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        try
        {
            _app = DashboardHost.Create(new DashboardOptions
            {
                Url = options.DashboardUrl,
                BrowserToken = token,
                OtlpGrpcUrl = options.DashboardOtlpGrpcUrl,
                OtlpHttpUrl = options.DashboardOtlpHttpUrl,
                OtlpApiKey = apiKey,
            }, notifications, logs, commands, telemetry);
            await _app.StartAsync(ct).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            logger.LogError("The dashboard could not listen on {Url}, {OtlpGrpcUrl} or {OtlpHttpUrl} ({Reason}); continuing without it.",
                options.DashboardUrl, options.DashboardOtlpGrpcUrl, options.DashboardOtlpHttpUrl, ex.Message);
            if (_app is not null)
            {
                await _app.DisposeAsync().ConfigureAwait(false);
            }
            _app = null;
            return;
        }
        var url = DashboardHost.GetBoundUrl(_app).Replace("127.0.0.1", "localhost", StringComparison.Ordinal).TrimEnd('/');
        LoginUrl = $"{url}/login?t={token}";
        Otlp = DashboardHost.GetOtlpGrpcUrl(_app) is { } grpc ? new OtlpTarget(grpc, apiKey) : null;
        OtlpHttpUrl = DashboardHost.GetOtlpHttpUrl(_app);
        logger.LogInformation("Login to the dashboard at {Url}", LoginUrl);
        logger.LogDebug("OTLP receiver: gRPC {OtlpGrpcUrl}, HTTP {OtlpHttpUrl}", Otlp?.Endpoint, OtlpHttpUrl);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
