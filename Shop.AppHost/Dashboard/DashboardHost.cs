using Aspire.Hosting.ApplicationModel;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.FluentUI.AspNetCore.Components;
using Shop.AppHost.Dashboard.Components;
using Shop.AppHost.Dashboard.Telemetry;

namespace Shop.AppHost.Dashboard;

public sealed class DashboardOptions
{
    /// <summary>Where Kestrel listens, e.g. "http://localhost:18888"; port 0 picks a free port.</summary>
    public required string Url { get; init; }

    /// <summary>The secret that <c>/login?t=</c> accepts.</summary>
    public required string BrowserToken { get; init; }

    public string ApplicationName { get; init; } = "Shop";
}

/// <summary>Builds the dashboard: a Blazor Server app over the AppHost's resource and log services.</summary>
public static class DashboardHost
{
    public static WebApplication Create(
        DashboardOptions options, ResourceNotificationService notifications, ResourceLoggerService logs, ResourceCommandService commands,
        TelemetryRepository telemetry)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.BrowserToken);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            // The name must be the assembly's: static web assets are looked up as {ApplicationName}.staticwebassets.*.json.
            ApplicationName = typeof(DashboardHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });

        // The dashboard is configured in code only: the host app's appsettings, ASPNETCORE_URLS, Kestrel:Endpoints
        // or Logging sections must not move or reconfigure it.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.WebHost.UseUrls(options.Url);

        // Static web assets (FluentUI's CSS/JS, blazor.web.js, scoped CSS) live in NuGet's cache and obj/ until the app
        // is published; only Development loads their manifest by default, so load it in every environment.
        builder.WebHost.UseStaticWebAssets();

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // A failed start (port in use) is thrown to the caller, which reports it; don't print the stack twice.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(notifications);
        builder.Services.AddSingleton(logs);
        builder.Services.AddSingleton(commands);
        builder.Services.AddSingleton(telemetry);
        builder.Services.AddScoped<ResourceWatcher>();
        builder.Services.AddScoped<ResourceCommandRunner>();

        // Keys (auth cookie, antiforgery, circuits) only need to live as long as this process: see InMemoryKeyRepository.
        builder.Services.AddDataProtection().SetApplicationName("Shop.AppHost.Dashboard");
        builder.Services.Configure<KeyManagementOptions>(o =>
        {
            o.XmlRepository = new InMemoryKeyRepository();
            o.XmlEncryptor = new NullXmlEncryptor(); // in memory only: nothing to protect at rest
        });

        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = ".Shop.Dashboard.Auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = "/login";
                o.ExpireTimeSpan = TimeSpan.FromDays(3);
                o.SlidingExpiration = true;
            });
        // Everything needs the cookie unless it opts out ([AllowAnonymous] on the login page, static assets).
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddFluentUIComponents();

        var app = builder.Build();

        // The login page needs its CSS/JS before there is a cookie, so static assets are anonymous. Without the build's
        // endpoints manifest (an unusual host layout) MapStaticAssets would throw: serve plain static files instead,
        // ahead of authorization, rather than fail the AppHost.
        var manifest = Path.Combine(AppContext.BaseDirectory, $"{app.Environment.ApplicationName}.staticwebassets.endpoints.json");
        var hasManifest = File.Exists(manifest);
        if (!hasManifest)
        {
            app.UseStaticFiles();
        }

        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        if (hasManifest)
        {
            app.MapStaticAssets().AllowAnonymous(); // reads that same default manifest path
        }
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    /// <summary>The URL Kestrel actually bound (port 0 resolved); valid after <c>StartAsync</c>.</summary>
    public static string GetBoundUrl(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        return addresses?.FirstOrDefault() ?? throw new InvalidOperationException("The dashboard has not been started.");
    }
}
