using System.Reflection;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.AspNetCore.Builder;
using Shop.AppHost.Dashboard;
using Shop.AppHost.Dashboard.Telemetry;

/// <summary>A dashboard on free ports in this process, with its own store.</summary>
internal sealed class InProcessDashboard : IAsyncDisposable
{
    public const string ApiKey = "bench-otlp-api-key";
    private readonly WebApplication _app;

    private InProcessDashboard(WebApplication app, TelemetryRepository telemetry)
    {
        _app = app;
        Telemetry = telemetry;
    }

    public TelemetryRepository Telemetry { get; }
    public string GrpcUrl => DashboardHost.GetOtlpGrpcUrl(_app)!;

    public static async Task<InProcessDashboard> StartAsync(TelemetryLimits limits)
    {
        var telemetry = new TelemetryRepository(limits);
        // The command service only serves the Resources page's buttons; nothing here runs resources.
        var commands = (ResourceCommandService)typeof(ResourceCommandService)
            .GetConstructors(BindingFlags.Instance | BindingFlags.NonPublic).Single().Invoke([null]);
        var app = DashboardHost.Create(new DashboardOptions
        {
            Url = "http://127.0.0.1:0",
            BrowserToken = "bench",
            OtlpGrpcUrl = "http://127.0.0.1:0",
            OtlpHttpUrl = "http://127.0.0.1:0",
            OtlpApiKey = ApiKey,
        }, new ResourceNotificationService(), new ResourceLoggerService(), commands, telemetry);
        await app.StartAsync();
        return new InProcessDashboard(app, telemetry);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
