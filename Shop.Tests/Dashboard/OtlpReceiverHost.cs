using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Shop.AppHost.Dashboard;
using Shop.AppHost.Dashboard.Otlp;
using Shop.AppHost.Dashboard.Telemetry;

namespace Shop.Tests.Dashboard;


/// <summary>
/// A dashboard of its own on free ports (UI, OTLP/gRPC, OTLP/HTTP) over a fresh store: no AppHost, no services. The
/// clients are a raw HttpClient, a Grpc.Net.Client channel with hand-built methods (so the service paths are checked
/// as strings) and the OpenTelemetry .NET SDK's own exporter.
/// </summary>
public sealed class OtlpReceiverHost : IAsyncDisposable
{
    public const string ApiKey = "test-otlp-key-0123456789abcdef";

    private readonly WebApplication _app;

    private OtlpReceiverHost(WebApplication app, TelemetryRepository telemetry)
    {
        _app = app;
        Telemetry = telemetry;
    }

    public TelemetryRepository Telemetry { get; }
    public string UiUrl => DashboardHost.GetBoundUrl(_app);
    public string GrpcUrl => DashboardHost.GetOtlpGrpcUrl(_app)!;
    public string HttpUrl => DashboardHost.GetOtlpHttpUrl(_app)!;

    public static async Task<OtlpReceiverHost> StartAsync(TelemetryLimits? limits = null)
    {
        var telemetry = new TelemetryRepository(limits ?? new TelemetryLimits());
        var app = DashboardHost.Create(new DashboardOptions
        {
            Url = "http://127.0.0.1:0",
            BrowserToken = "browser-token",
            OtlpGrpcUrl = "http://127.0.0.1:0",
            OtlpHttpUrl = "http://127.0.0.1:0",
            OtlpApiKey = ApiKey,
        }, new ResourceNotificationService(), new ResourceLoggerService(), new ResourceCommandService(null!), telemetry);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new OtlpReceiverHost(app, telemetry);
    }

    public HttpClient Http(string? apiKey = ApiKey)
    {
        var client = new HttpClient { BaseAddress = new Uri(HttpUrl), Timeout = TimeSpan.FromSeconds(30) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add(OtlpEndpoints.ApiKeyHeader, apiKey);
        }
        return client;
    }

    public GrpcChannel Channel() => GrpcChannel.ForAddress(GrpcUrl);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
