using Microsoft.AspNetCore.Authorization;
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

        // Routes and clusters live in configuration (ReverseProxy section); addresses name services (http://catalog),
        // resolved through service discovery into one destination per endpoint, so YARP balances and checks replicas.
        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddServiceDiscoveryDestinationResolver();
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
            detail: $"No route matches {context.Request.Method} {context.Request.Path}.")).AllowAnonymous();
        return app;
    }
}
