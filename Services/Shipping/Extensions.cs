using Shop.ServiceDefaults.OpenApi;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Shop.Contracts;
using Shop.ServiceDefaults.Data;
using Shop.ServiceDefaults.Messaging;
using Shop.Shipping.Carrier;
using Shop.Shipping.Data;

namespace Shop.Shipping;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<ShippingDbContext>("shippingdb", ServiceDatabase.Configure, ServiceDatabase.ConfigureContext);
        builder.AddMessaging<ShippingDbContext>("shippingdb", Queues.Shipping, routes => routes
            .Send<ShipmentCreated>(Queues.Ordering)
            .Send<ShipmentFailed>(Queues.Ordering)
            .Send<ShipmentCancelled>(Queues.Ordering));

        builder.AddMigrations<ShippingDbContext>();

        builder.Services.AddOptions<ShippingOptions>()
            .BindConfiguration(ShippingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ShippingCarrier>();
        builder.Services.TryAddSingleton(TimeProvider.System);

        // Statuses travel as "Created"/"Cancelled"/"Failed", not as numbers.
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.AddServiceOpenApi("Shop shipping API");
    }
}
