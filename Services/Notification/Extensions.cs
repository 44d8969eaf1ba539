using Shop.ServiceDefaults.OpenApi;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Shop.Contracts;
using Shop.Notification.Data;
using Shop.Notification.Inbox;
using Shop.Notification.Sending;
using Shop.ServiceDefaults.Data;
using Shop.ServiceDefaults.Messaging;
using Wolverine;

namespace Shop.Notification;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<NotificationDbContext>("notificationdb", ServiceDatabase.Configure, ServiceDatabase.ConfigureContext);
        builder.AddMessaging<NotificationDbContext>("notificationdb", Queues.Notification, routes => routes
            .Subscribe<UserRegistered>()
            .Subscribe<UserProfileChanged>()
            .Subscribe<OrderPlaced>()
            .Subscribe<OrderCompleted>()
            .Subscribe<OrderCancelled>());
        // Sending is its own step on a durable local queue: an event handler stores the notification and returns
        // SendNotification (committed with it), and the send runs, fails and is retried apart from the event.
        builder.Services.ConfigureWolverine(options =>
        {
            options.PublishMessage<SendNotification>().ToLocalQueue(SendNotification.Queue);
            options.LocalQueue(SendNotification.Queue).UseDurableInbox();
        });

        builder.AddMigrations<NotificationDbContext, NotificationSeed>();

        builder.Services.AddOptions<NotificationSenderOptions>()
            .BindConfiguration(NotificationSenderOptions.SectionName)
            .Validate(o => o.FailureRate is >= 0 and <= 1, "Notification:Sender:FailureRate must be between 0 and 1.")
            .Validate(o => o.LatencyMs >= 0, "Notification:Sender:LatencyMs must be 0 or more.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<NotificationSender>();
        builder.Services.AddScoped<NotificationInbox>();

        builder.AddServiceOpenApi("Shop notification API");
    }
}
