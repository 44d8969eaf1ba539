using Yarp.ReverseProxy.ServiceDiscovery;

namespace Shop.Gateway;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        // Routes and clusters live in configuration (ReverseProxy section); addresses name services, not hosts.
        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));
        builder.Services.AddSingleton<IDestinationResolver, ServiceDiscoveryDestinationResolver>();
    }

    /// <summary>Whatever no route claims gets a 404 ProblemDetails naming the path, never an empty answer.</summary>
    public static IEndpointRouteBuilder MapNotFoundFallback(this IEndpointRouteBuilder app)
    {
        // "{**path}" rather than MapFallback's default "{*path:nonfile}": paths that look like files are unknown too.
        app.MapFallback("{**path}", (HttpContext context) => TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "Not Found",
            detail: $"No route matches {context.Request.Method} {context.Request.Path}."));
        return app;
    }
}
