using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Shop.ServiceDefaults.Hosting;
using Shop.ServiceDefaults.Messaging;
using Shop.ServiceDefaults.Telemetry;

using Shop.ServiceDefaults.Http;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Cross-cutting defaults every Shop service gets, shaped like the .NET Aspire ServiceDefaults template:
/// telemetry, health checks, service discovery and resilient HttpClients.
/// </summary>
public static class Extensions
{
    internal const string HealthEndpointPath = "/health";
    internal const string AlivenessEndpointPath = "/alive";
    private const string LiveTag = "live";

    /// <summary>The longest any health check may take before it counts as Unhealthy.</summary>
    internal static readonly TimeSpan HealthCheckTimeout = TimeSpan.FromSeconds(5);

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        builder.Services.AddHostedService<NativeMemoryTrimmer>();

        // Every error a service or the gateway answers is RFC 9457 ProblemDetails (see UseServiceDefaults).
        builder.Services.AddProblemDetails();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // One circuit per destination (scheme, host, port): a failing payment must not open the breaker for catalog.
            http.AddStandardResilienceHandler().SelectPipelineByAuthority();
            http.AddServiceDiscovery();
        });

        // Input the endpoints cannot bind (malformed JSON, a wrong type, a NUL in a string) is a 400 ProblemDetails that
        // names the field (InvalidRequestHandler), never a 500 and never an error in the log.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Converters.Add(new NoNulStrings()));
        builder.Services.AddExceptionHandler<InvalidRequestHandler>();
        // Anything else minimal APIs reject as BadHttpRequestException keeps its 4xx status.
        builder.Services.Configure<ExceptionHandlerOptions>(options =>
            options.StatusCodeSelector ??= exception =>
                exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError);

        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });
        // The AppHost (or Kubernetes) probes /health every few seconds, and a service that is still migrating is
        // unhealthy by design: the health-check service would log an Error at every probe, flooding the dashboard's
        // error count at each start. The probe's result is shown as the resource's health, and a migration that
        // really fails logs its own error once (MigrationExtensions).
        builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService", LogLevel.Critical);

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                // Wolverine names its meter after the service ("Wolverine:Payment"); a plain "Wolverine" matched nothing.
                .AddMeter("Wolverine:*")
                .AddMetricLimits())
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource("Wolverine")
                // gRPC calls (ordering → catalog pricing) are a span of their own, the parent of the HTTP/2 request's span.
                .AddSource("Grpc.Net.Client")
                .AddAspNetCoreInstrumentation(options =>
                    // Probes poll every few seconds; their spans would drown the real traffic.
                    options.Filter = context =>
                        !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                        && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath))
                .AddHttpClientInstrumentation()
                .AddProcessor(new BackgroundDatabaseSpans()));

        builder.AddOpenTelemetryExporters();
        return builder;
    }

    private static void AddOpenTelemetryExporters<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // The AppHost sets the endpoint when a dashboard listens; without one, exporting would only log connection errors.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        // Aspire's client integrations register their checks without a timeout: a stalled server would hold /health
        // until the client's own timeout (Npgsql's connect timeout is 15 s) and the probe would give up first.
        builder.Services.PostConfigure<HealthCheckServiceOptions>(options =>
        {
            foreach (var registration in options.Registrations.Where(r => r.Timeout == Timeout.InfiniteTimeSpan))
            {
                registration.Timeout = HealthCheckTimeout;
            }
        });
        return builder;
    }

    /// <summary>
    /// The request pipeline every Shop service shares, in this order: the client's scheme and host as the gateway
    /// forwards them, every error leaves as RFC 9457 ProblemDetails
    /// (thrown exceptions and empty 4xx/5xx: unknown route, 405, and the bodiless 401/403 of the token checks, which is
    /// why authentication comes after the status-code pages), then authentication and authorization, the health
    /// endpoints and the service's dead-letter admin endpoints.
    /// </summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        // Behind the gateway a request is the client's: its scheme and host (as YARP forwards them) are what links and
        // error details name, not the service's own address. Only a proxy on this machine is believed (the default).
        app.UseForwardedHeaders(new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost,
        });
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapDefaultEndpoints();
        app.MapDeadLetterEndpoints();
        return app;
    }

    /// <summary>
    /// Maps <c>/health</c> (readiness: every check) and <c>/alive</c> (liveness: only <c>live</c> checks).
    /// Unlike the Aspire template these are mapped in every environment: the AppHost and Kubernetes probes need them.
    /// They answer plain text <c>Healthy</c>/<c>Degraded</c> (200) or <c>Unhealthy</c> (503) and reveal no details.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        // Probes carry no token: the endpoints stay open even where a fallback policy requires a signed-in user.
        app.MapHealthChecks(HealthEndpointPath).AllowAnonymous();
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(LiveTag),
        }).AllowAnonymous();
        return app;
    }
}
