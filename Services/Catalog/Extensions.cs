using OpenTelemetry.Metrics;
using Shop.Catalog.Caching;
using Shop.Catalog.Data;
using Shop.Catalog.Inventory;

namespace Shop.Catalog;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<CatalogDbContext>("catalogdb");
        builder.AddRedisClient("cache", configureOptions: CatalogCache.ConfigureConnection);
        builder.Services.AddSingleton<CatalogCache>();

        builder.AddMigrations<CatalogDbContext, CatalogSeed>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(CatalogCache.MeterName));

        builder.Services.AddOptions<CatalogOptions>()
            .BindConfiguration(CatalogOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Service discovery and the standard resilience pipeline come from AddServiceDefaults.
        builder.Services.AddHttpClient<InventoryClient>(client => client.BaseAddress = new("http://inventory"));

        // Unreadable request bodies become ProblemDetails naming the offending JSON field (see InvalidBodyHandler).
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<InvalidBodyHandler>();

        builder.Services.AddCatalogOpenApi();
    }
}
