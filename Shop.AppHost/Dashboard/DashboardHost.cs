using System.Globalization;
using System.Net;
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
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.FluentUI.AspNetCore.Components;
using Shop.AppHost.Dashboard.Components;
using Shop.AppHost.Dashboard.Otlp;
using Shop.AppHost.Dashboard.Telemetry;

namespace Shop.AppHost.Dashboard;

public sealed class DashboardOptions
{
    /// <summary>Where Kestrel listens, e.g. "http://localhost:18888"; port 0 picks a free port.</summary>
    public required string Url { get; init; }

    /// <summary>The secret that <c>/login?t=</c> accepts.</summary>
    public required string BrowserToken { get; init; }

    public string ApplicationName { get; init; } = "Shop";

    /// <summary>Where the OTLP/gRPC receiver listens (HTTP/2 only, plain text), e.g. "http://localhost:18889"; null: none.</summary>
    public string? OtlpGrpcUrl { get; init; }

    /// <summary>Where the OTLP/HTTP receiver listens (<c>POST /v1/{traces,logs,metrics}</c>), e.g. "http://localhost:18890"; null: none.</summary>
    public string? OtlpHttpUrl { get; init; }

    /// <summary>The value OTLP requests must send in <c>x-otlp-api-key</c>; null accepts any request (Aspire's "Unsecured").</summary>
    public string? OtlpApiKey { get; init; }
}

/// <summary>The dashboard's listeners, to read the ports Kestrel bound (port 0 resolved) once started.</summary>
internal sealed class DashboardBindings
{
    public required DashboardBinding Frontend { get; init; }
    public DashboardBinding? OtlpGrpc { get; init; }
    public DashboardBinding? OtlpHttp { get; init; }
}

internal sealed class DashboardBinding(BindingAddress address)
{
    public BindingAddress Address { get; } = address;

    /// <summary>Set when Kestrel is configured; after binding its endpoint carries the actual port.</summary>
    public ListenOptions? Listen { get; set; }

    public string BoundUrl
    {
        get
        {
            var port = Listen?.IPEndPoint is { Port: > 0 } ip ? ip.Port : Address.Port;
            if (port == 0)
            {
                throw new InvalidOperationException("The dashboard has not been started.");
            }
            var host = Address.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? "localhost"
                : Listen?.IPEndPoint?.Address is { } a && !a.Equals(IPAddress.Any) && !a.Equals(IPAddress.IPv6Any)
                ? (a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{a}]" : a.ToString())
                : "localhost";
            return $"{Address.Scheme}://{host}:{port.ToString(CultureInfo.InvariantCulture)}";
        }
    }
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
        // One listener per surface, each tagged so a request is only served by its own (see OtlpEndpoints).
        var bindings = new DashboardBindings
        {
            Frontend = new DashboardBinding(BindingAddress.Parse(options.Url)),
            OtlpGrpc = options.OtlpGrpcUrl is { } grpc ? new DashboardBinding(BindingAddress.Parse(grpc)) : null,
            OtlpHttp = options.OtlpHttpUrl is { } http ? new DashboardBinding(BindingAddress.Parse(http)) : null,
        };
        // No addresses besides the listeners below: the AppHost's own ASPNETCORE_URLS (already read into options.Url)
        // would otherwise come back as a host-settings fallback and Kestrel would warn that it overrides it. An empty
        // "urls" falls back to it; a list of no entries does not.
        builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, ";");
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            Listen(kestrel, bindings.Frontend, DashboardEndpointKind.Frontend, HttpProtocols.Http1AndHttp2);
            if (bindings.OtlpGrpc is { } g)
            {
                // gRPC without TLS needs HTTP/2 with prior knowledge: an HTTP/2-only listener.
                Listen(kestrel, g, DashboardEndpointKind.OtlpGrpc, HttpProtocols.Http2);
            }
            if (bindings.OtlpHttp is { } h)
            {
                Listen(kestrel, h, DashboardEndpointKind.OtlpHttp, HttpProtocols.Http1AndHttp2);
            }
        });

        // Static web assets (FluentUI's CSS/JS, blazor.web.js, scoped CSS) live in NuGet's cache and obj/ until the app
        // is published; only Development loads their manifest by default, so load it in every environment.
        builder.WebHost.UseStaticWebAssets();

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // A failed start (port in use) is thrown to the caller, which reports it; don't print the stack twice.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        // A malformed OTLP/gRPC message is the exporter's fault and is answered with an error status: no stack trace in
        // the AppHost's console for it (the services' own code never throws: conversion refuses bad items instead).
        builder.Logging.AddFilter("Grpc.AspNetCore.Server.ServerCallHandler", LogLevel.None);

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(notifications);
        builder.Services.AddSingleton(logs);
        builder.Services.AddSingleton(commands);
        builder.Services.AddSingleton(telemetry);
        builder.Services.AddSingleton(bindings);
        builder.Services.AddOtlpReceiver();
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

        // Before anything else (static files included): each listener serves only its own surface; OTLP needs the key.
        app.UseDashboardEndpointIsolation(options.OtlpApiKey);

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
        app.MapOtlpEndpoints();
        return app;
    }

    /// <summary>The UI's URL as Kestrel bound it (port 0 resolved); valid after <c>StartAsync</c>.</summary>
    public static string GetBoundUrl(WebApplication app) => Bindings(app).Frontend.BoundUrl;

    /// <summary>The OTLP/gRPC receiver's URL as bound (null when not configured); valid after <c>StartAsync</c>.</summary>
    public static string? GetOtlpGrpcUrl(WebApplication app) => Bindings(app).OtlpGrpc?.BoundUrl;

    /// <summary>The OTLP/HTTP receiver's URL as bound (null when not configured); valid after <c>StartAsync</c>.</summary>
    public static string? GetOtlpHttpUrl(WebApplication app) => Bindings(app).OtlpHttp?.BoundUrl;

    private static DashboardBindings Bindings(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses is not { Count: > 0 })
        {
            throw new InvalidOperationException("The dashboard has not been started.");
        }
        return app.Services.GetRequiredService<DashboardBindings>();
    }

    private static void Listen(KestrelServerOptions kestrel, DashboardBinding binding, DashboardEndpointKind kind, HttpProtocols protocols)
    {
        var address = binding.Address;
        void Configure(ListenOptions listen)
        {
            binding.Listen = listen;
            if (protocols != listen.Protocols)
            {
                // Only when it differs from Kestrel's default (HTTP/1.1 and HTTP/2; without TLS that is HTTP/1.1 in
                // practice), which Kestrel would otherwise warn about when set explicitly on a plain-text listener.
                listen.Protocols = protocols;
            }
            listen.UseDashboardEndpointKind(kind);
            if (address.Scheme.Equals("https", StringComparison.OrdinalIgnoreCase))
            {
                listen.UseHttps();
            }
        }
        if (address.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(address.Port, Configure); // IPv4 and IPv6 loopback, as UseUrls("http://localhost:P")
        }
        else if (IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip))
        {
            kestrel.Listen(ip, address.Port, Configure);
        }
        else
        {
            kestrel.ListenAnyIP(address.Port, Configure); // "*", "+" or a host name: every interface, as Kestrel does
        }
    }
}
