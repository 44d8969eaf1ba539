using OpenTelemetry.Trace;
using Shop.Catalog.Data;

namespace Shop.Catalog;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<CatalogDbContext>("catalogdb");
        // Registered now so /health covers the cache; read caching comes with a later change.
        builder.AddRedisClient("cache");

        // One instance is both the start-up migrator and the "migrations" health check reporting its progress.
        builder.Services.AddSingleton<CatalogDbInitializer>();
        builder.Services.AddHostedService(services => services.GetRequiredService<CatalogDbInitializer>());
        builder.Services.AddHealthChecks().AddCheck<CatalogDbInitializer>("migrations");
        builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddSource(CatalogDbInitializer.ActivitySourceName));

        builder.Services.AddOpenApi();
    }
}
