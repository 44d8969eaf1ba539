using Shop.ServiceDefaults.Data;

namespace Shop.Notification.Data;

/// <summary>Notifications start empty: everything in this database comes from events.</summary>
public sealed class NotificationSeed : IDatabaseSeeder<NotificationDbContext>
{
    public Task<string> SeedAsync(NotificationDbContext db, CancellationToken cancellationToken) =>
        Task.FromResult("nothing to seed");
}
