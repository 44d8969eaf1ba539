using Shop.ServiceDefaults.OpenApi;
using Shop.Catalog.Products;
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
            .Publish<ProductPriceChanged>(), handlesMessages: false);
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

        builder.Services.AddCatalogApiVersioning();
        builder.AddServiceOpenApi("Shop catalog API", CatalogApi.V1, CatalogApi.V2);
    }
}
