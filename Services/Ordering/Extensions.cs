using Shop.ServiceDefaults.OpenApi;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Shop.Contracts;
using Shop.Ordering.Data;
using Shop.Ordering.Orders;
using Shop.Ordering.Pricing;
using Shop.Ordering.Saga;
using Shop.ServiceDefaults.Data;
using Shop.ServiceDefaults.Messaging;

namespace Shop.Ordering;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<OrderingDbContext>("orderingdb", ServiceDatabase.Configure, ServiceDatabase.ConfigureContext);
        builder.AddMigrations<OrderingDbContext>();
        builder.AddRedisClient("cache", configureOptions: options =>
        {
            // Idempotency's fast path only: give up quickly and fall back to the database.
            options.ConnectTimeout = 2000;
            options.SyncTimeout = 1000;
            options.AsyncTimeout = 1000;
            options.AbortOnConnectFail = false;
        });

        builder.AddMessaging<OrderingDbContext>("orderingdb", Queues.Ordering, routes => routes
            .Send<ReserveStock>(Queues.Inventory)
            .Send<ReleaseStock>(Queues.Inventory)
            .Send<ChargePayment>(Queues.Payment)
            .Send<RefundPayment>(Queues.Payment)
            .Send<CreateShipment>(Queues.Shipping)
            .Send<CancelShipment>(Queues.Shipping)
            .Publish<OrderPlaced>()
            .Publish<OrderCompleted>()
            .Publish<OrderCancelled>()
            // The read model hears the same events as everyone else.
            .Subscribe<OrderPlaced>()
            .Subscribe<OrderCompleted>()
            .Subscribe<OrderCancelled>());

        builder.AddCatalogPricing();

        builder.Services.Configure<SagaOptions>(builder.Configuration.GetSection("Ordering:Saga"));
        builder.Services.AddHostedService<DeadlineSweeper>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IdempotencyCache>();
        builder.Services.AddSingleton<OrderingMetrics>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(OrderingMetrics.MeterName));

        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.AddServiceOpenApi("Shop ordering API");
    }
}
