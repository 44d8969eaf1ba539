using Aspire.Hosting.ApplicationModel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Shop.AppHost.Dashboard;

// TEMPORARY until the Blazor dashboard lands in Dashboard/.
public sealed class DashboardOptions
{
    public required string Url { get; init; }
    public required string BrowserToken { get; init; }
    public string ApplicationName { get; init; } = "Shop";
}

public static class DashboardHost
{
    public static WebApplication Create(DashboardOptions options, ResourceNotificationService notifications, ResourceLoggerService logs)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.Url);
        var app = builder.Build();
        app.MapGet("/", () => notifications.GetSnapshots());
        return app;
    }

    public static string GetBoundUrl(WebApplication app)
        => app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
}
