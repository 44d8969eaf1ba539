using Shop.ServiceDefaults.OpenApi;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;
using Shop.Contracts;
using Shop.Payment.Data;
using Shop.Payment.Provider;
using Shop.ServiceDefaults.Data;
using Shop.ServiceDefaults.Messaging;

namespace Shop.Payment;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<PaymentDbContext>("paymentdb", ServiceDatabase.Configure, options =>
        {
            ServiceDatabase.ConfigureContext(options);
            options.AddInterceptors(TransactionOutcomes.Instance);
        });
        builder.AddMessaging<PaymentDbContext>("paymentdb", Queues.Payment, routes => routes
            .Send<PaymentCharged>(Queues.Ordering)
            .Send<PaymentDeclined>(Queues.Ordering)
            .Send<PaymentRefunded>(Queues.Ordering));

        builder.AddMigrations<PaymentDbContext>();

        builder.Services.AddOptions<PaymentProviderOptions>()
            .BindConfiguration(PaymentProviderOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<PaymentProvider>();
        builder.Services.TryAddSingleton(TimeProvider.System);

        builder.Services.AddSingleton<PaymentMetrics>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(PaymentMetrics.MeterName));

        // Statuses travel as "Charged"/"Declined"/"Refunded", not as numbers.
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.AddServiceOpenApi("Shop payment API");
    }
}
