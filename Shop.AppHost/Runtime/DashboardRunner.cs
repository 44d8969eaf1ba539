using System.Security.Cryptography;
using Aspire.Hosting.ApplicationModel;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Shop.AppHost.Dashboard;
using Shop.AppHost.Dashboard.Telemetry;

namespace Shop.AppHost.Runtime;

/// <summary>Serves the dashboard from the AppHost process, behind a browser token printed once in the console (as Aspire).</summary>
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

    public async Task StartAsync(CancellationToken ct)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        try
        {
            _app = DashboardHost.Create(new DashboardOptions { Url = options.DashboardUrl, BrowserToken = token }, notifications, logs, commands, telemetry);
            await _app.StartAsync(ct).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            logger.LogError("The dashboard could not listen on {Url} ({Reason}); continuing without it.", options.DashboardUrl, ex.Message);
            _app = null;
            return;
        }
        var url = DashboardHost.GetBoundUrl(_app).Replace("127.0.0.1", "localhost", StringComparison.Ordinal).TrimEnd('/');
        LoginUrl = $"{url}/login?t={token}";
        logger.LogInformation("Login to the dashboard at {Url}", LoginUrl);
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
