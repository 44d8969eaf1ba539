using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Shop.Notification.Data;

/// <summary>
/// Used only by <c>dotnet ef migrations add</c>: the model is built without running Program, so neither a connection
/// string nor a database is needed (and none is made up here).
/// </summary>
public sealed class NotificationDesignTimeDbContextFactory : IDesignTimeDbContextFactory<NotificationDbContext>
{
    public NotificationDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<NotificationDbContext>().UseNpgsql().Options);
}
