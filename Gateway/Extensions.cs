using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Shop.ServiceDefaults.OpenApi;
using Shop.Gateway.Caching;
using Shop.Gateway.RateLimiting;
using Shop.Gateway.Summary;
using Shop.ServiceDefaults.Authentication;

namespace Shop.Gateway;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddDefaultAuthentication();
        // Fail closed: a route without a policy in configuration needs a signed-in user. Public routes say "Anonymous".
        builder.Services.Configure<AuthorizationOptions>(o => o.FallbackPolicy = o.GetPolicy(ShopAuth.CustomerPolicy));
        builder.AddRedisClient("cache");
        builder.Services.AddOutputCache(CatalogEdgeCache.Configure);
        builder.Services.Configure<RateLimitOptions>(builder.Configuration.GetSection("RateLimiting"));
        builder.Services.Configure<SummaryOptions>(builder.Configuration.GetSection("Summary"));
        builder.Services.AddHttpClient("summary");
        builder.AddServiceOpenApi("Shop gateway API");
        builder.Services.AddCors(options => options.AddDefaultPolicy(policy => ConfigureCors(policy, builder.Configuration)));

        // Routes and clusters live in configuration (ReverseProxy section); addresses name services (http://catalog),
        // resolved through service discovery into one destination per endpoint, so YARP balances and checks replicas.
        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddServiceDiscoveryDestinationResolver();
    }

    /// <summary>
    /// Browsers on another origin may call the API when their origin is listed in <c>Cors:AllowedOrigins</c> (none by
    /// default; the AppHost lists the development ones). Clients authenticate with a bearer token, never a cookie, so
    /// credentials are not allowed: a browser sends no cookie, and no origin is ever reflected as a wildcard with them.
    /// A preflight is answered by the CORS middleware before authentication and is cached by the browser for 10 minutes.
    /// </summary>
    public static void ConfigureCors(CorsPolicyBuilder policy, IConfiguration configuration)
    {
        var origins = configuration.GetSection("Cors:AllowedOrigins").Get<string[]>() ?? [];
        policy.WithOrigins([.. origins.Where(origin => origin.Length > 0)])
            .WithMethods("GET", "HEAD", "POST", "PUT", "DELETE")
            .WithHeaders("Authorization", "Content-Type", "Accept", "Idempotency-Key", "Cache-Control", "api-version")
            .WithExposedHeaders("Location", "Retry-After", "Idempotent-Replayed", "X-Cache", "X-Edge-Cache", "Age", "api-supported-versions")
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10));
    }

    /// <summary>In development, says which replica answered, so replica behaviour can be observed and tested.</summary>
    public static IApplicationBuilder UseInstanceHeader(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            return app;
        }
        var instance = (app.Configuration["OTEL_RESOURCE_ATTRIBUTES"] ?? "").Split(',')
            .Select(kv => kv.Split('=', 2)).FirstOrDefault(kv => kv[0] == "service.instance.id")?[1] ?? Environment.MachineName;
        return app.Use((context, next) =>
        {
            context.Response.Headers["X-Gateway-Instance"] = instance;
            return next(context);
        });
    }

    /// <summary>Whatever no route claims gets a 404 ProblemDetails naming the path, never an empty answer.</summary>
    public static IEndpointRouteBuilder MapNotFoundFallback(this IEndpointRouteBuilder app)
    {
        // "{**path}" rather than MapFallback's default "{*path:nonfile}": paths that look like files are unknown too.
        app.MapFallback("{**path}", (HttpContext context) => TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "Not Found",
            detail: $"No route matches {context.Request.Method} {context.Request.Path}."))
            .AllowAnonymous()
            .ExcludeFromDescription();
        return app;
    }
}
