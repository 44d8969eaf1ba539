using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.Extensions.Hosting;

namespace Shop.ServiceDefaults.Authentication;

/// <summary>
/// Fetches identity's signing keys once the service has started, in the background, so the first request with a token
/// does not pay for the discovery document, the JWKS and the HTTP client's first use (about a second on a cold
/// process, more than the gateway's per-part deadline for <c>/me/summary</c>). Start-up and health do not wait for it:
/// identity may start later than this service, and a failed fetch here only means the first request fetches instead.
/// Until identity answers, it asks quietly (<see cref="ProbeClient"/>: no retries, so no resilience warnings and errors
/// in the log of every service on every start), then fetches through JwtBearer's own key cache.
/// </summary>
internal sealed partial class SigningKeysWarmup(
    IOptionsMonitor<JwtBearerOptions> options, IHttpClientFactory clients, TimeProvider clock, ILogger<SigningKeysWarmup> logger)
    : BackgroundService
{
    /// <summary>The named HttpClient that asks whether identity answers yet: service discovery, no resilience handler.</summary>
    public const string ProbeClient = "identity-probe";

    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Only keys fetched over HTTP need warming: identity reads its own key store (and its tables may not exist yet).
        var jwt = options.Get(JwtBearerDefaults.AuthenticationScheme);
        if (jwt.ConfigurationManager is not ConfigurationManager<OpenIdConnectConfiguration> manager)
        {
            return;
        }
        var started = clock.GetUtcNow();
        if (jwt.MetadataAddress is { Length: > 0 } metadata && !await IdentityAnswersAsync(metadata, started, stoppingToken))
        {
            return;
        }
        for (var pause = TimeSpan.FromMilliseconds(250); !stoppingToken.IsCancellationRequested; pause = Min(pause * 2, TimeSpan.FromSeconds(5)))
        {
            try
            {
                // Stop waiting as soon as the service stops, whether or not the fetch underneath honours the token.
                var configuration = await manager.GetConfigurationAsync(stoppingToken).WaitAsync(stoppingToken);
                LogWarmed(logger, configuration.SigningKeys.Count, (clock.GetUtcNow() - started).TotalMilliseconds);
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                if (clock.GetUtcNow() - started > GiveUpAfter)
                {
                    LogGaveUp(logger, ex.GetType().Name, ex.Message);
                    return;
                }
                // Let the next call fetch again rather than wait for IdentityModel's own refresh schedule.
                manager.RequestRefresh();
            }
            await Task.Delay(pause, clock, stoppingToken);
        }
    }

    /// <summary>Asks for identity's discovery document until it answers 2xx; false when stopping or after <see cref="GiveUpAfter"/>.</summary>
    private async Task<bool> IdentityAnswersAsync(string metadata, DateTimeOffset started, CancellationToken stoppingToken)
    {
        using var http = clients.CreateClient(ProbeClient);
        for (var pause = TimeSpan.FromMilliseconds(250); !stoppingToken.IsCancellationRequested; pause = Min(pause * 2, TimeSpan.FromSeconds(2)))
        {
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                attempt.CancelAfter(TimeSpan.FromSeconds(5));
                using var response = await http.GetAsync(metadata, HttpCompletionOption.ResponseHeadersRead, attempt.Token);
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (Exception) when (!stoppingToken.IsCancellationRequested)
            {
                // Not listening yet, not resolvable yet, or too slow: ask again after the pause.
            }
            if (clock.GetUtcNow() - started > GiveUpAfter)
            {
                LogGaveUp(logger, "identity", "no answer from its discovery document");
                return false;
            }
            try
            {
                await Task.Delay(pause, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
        return false;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    [LoggerMessage(LogLevel.Debug, "Signing keys fetched ({Count}) {Milliseconds:F0} ms after start")]
    private static partial void LogWarmed(ILogger logger, int count, double milliseconds);

    [LoggerMessage(LogLevel.Information, "Signing keys not fetched at start ({Error}: {Message}); the first request with a token will fetch them")]
    private static partial void LogGaveUp(ILogger logger, string error, string message);
}
