using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Trace;
using Shop.Inventory.Data;
using Shop.Inventory.Reservations;

namespace Shop.Inventory;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<InventoryDbContext>("inventorydb");

        // The start-up migrator doubles as the "migrations" health check that reports its progress.
        builder.Services.AddSingleton<InventoryDbInitializer>();
        builder.Services.AddHostedService(services => services.GetRequiredService<InventoryDbInitializer>());
        builder.Services.AddHealthChecks().AddCheck<InventoryDbInitializer>("migrations");
        builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddSource(InventoryDbInitializer.ActivitySourceName));

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddScoped<ReservationService>();

        // Statuses travel as "Reserved"/"Released"/"Shipped", not as numbers.
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddOpenApi();
    }
}
