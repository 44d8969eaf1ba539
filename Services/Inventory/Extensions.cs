using Shop.ServiceDefaults.OpenApi;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Shop.Contracts;
using Shop.Inventory.Data;
using Shop.Inventory.Reservations;
using Shop.ServiceDefaults.Data;
using Shop.ServiceDefaults.Messaging;

namespace Shop.Inventory;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<InventoryDbContext>("inventorydb", ServiceDatabase.Configure, ServiceDatabase.ConfigureContext);
        builder.AddMessaging<InventoryDbContext>("inventorydb", Queues.Inventory, routes => routes
            .Send<StockReserved>(Queues.Ordering)
            .Send<StockReservationFailed>(Queues.Ordering)
            .Send<StockReleased>(Queues.Ordering)
            .Subscribe<ProductCreated>()
            .Subscribe<OrderCompleted>());

        builder.AddMigrations<InventoryDbContext, InventorySeed>();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddScoped<ReservationService>();

        // Statuses travel as "Reserved"/"Released"/"Shipped", not as numbers.
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.AddServiceOpenApi("Shop inventory API");
    }
}
