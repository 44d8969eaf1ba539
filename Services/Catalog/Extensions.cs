using OpenTelemetry.Metrics;
using Shop.Catalog.Caching;
using Shop.Catalog.Data;
using Shop.Contracts;
using Shop.ServiceDefaults.Data;
using Shop.ServiceDefaults.Messaging;

namespace Shop.Catalog;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<CatalogDbContext>("catalogdb", ServiceDatabase.Configure, ServiceDatabase.ConfigureContext);
        // Catalog only publishes; inventory (ProductCreated) and whoever else cares subscribe.
        builder.AddMessaging<CatalogDbContext>("catalogdb", Queues.Catalog, routes => routes
            .Publish<ProductCreated>()
            .Publish<ProductPriceChanged>());
        builder.AddRedisClient("cache", configureOptions: CatalogCache.ConfigureConnection);
        builder.Services.AddSingleton<CatalogCache>();

        builder.AddMigrations<CatalogDbContext, CatalogSeed>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(CatalogCache.MeterName));

        builder.Services.AddOptions<CatalogOptions>()
            .BindConfiguration(CatalogOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // CatalogPricing for other services, on the grpc endpoint (Program: AddGrpcEndpoint, MapCatalogPricing).
        builder.Services.AddGrpc();

        // Unreadable request bodies become ProblemDetails naming the offending JSON field (see InvalidBodyHandler).
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<InvalidBodyHandler>();

        builder.Services.AddCatalogOpenApi();
    }
}
