using Microsoft.EntityFrameworkCore;

namespace Shop.Notification.Data;

public sealed class NotificationDbContext(DbContextOptions<NotificationDbContext> options) : DbContext(options)
{
    public const int KindMaxLength = 32;
    public const int SourceKeyMaxLength = 100;
    public const int SubjectMaxLength = 200;
    public const int BodyMaxLength = 2000;
    public const int EmailMaxLength = 254;
    public const int DisplayNameMaxLength = 100;
    public const string SourceKeyIndex = "IX_Notifications_SourceKey";

    public DbSet<UserNotification> Notifications => Set<UserNotification>();

    public DbSet<Recipient> Recipients => Set<Recipient>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<UserNotification>(notification =>
        {
            notification.ToTable("Notifications", t =>
            {
                t.HasCheckConstraint("CK_Notifications_Kind",
                    $"\"Kind\" IN ({string.Join(", ", NotificationKinds.All.Select(kind => $"'{kind}'"))})");
                t.HasCheckConstraint("CK_Notifications_Attempts_NonNegative", "\"Attempts\" >= 0");
            });
            notification.Property(n => n.Id).ValueGeneratedNever();
            notification.Property(n => n.Kind).HasMaxLength(KindMaxLength);
            notification.Property(n => n.SourceKey).HasMaxLength(SourceKeyMaxLength);
            notification.Property(n => n.Subject).HasMaxLength(SubjectMaxLength);
            notification.Property(n => n.Body).HasMaxLength(BodyMaxLength);
            // The guard against a second notification for one event, even from two deliveries racing each other.
            notification.HasIndex(n => n.SourceKey).IsUnique().HasDatabaseName(SourceKeyIndex);
            // The inbox, newest first.
            notification.HasIndex(n => new { n.UserId, n.CreatedAt });
            // The unread count, which the gateway's summary asks for on every call: only unread rows are indexed.
            notification.HasIndex(n => n.UserId).HasFilter("\"ReadAt\" IS NULL").HasDatabaseName("IX_Notifications_Unread");
        });

        modelBuilder.Entity<Recipient>(recipient =>
        {
            recipient.HasKey(r => r.UserId);
            recipient.Property(r => r.UserId).ValueGeneratedNever();
            recipient.Property(r => r.Email).HasMaxLength(EmailMaxLength);
            recipient.Property(r => r.DisplayName).HasMaxLength(DisplayNameMaxLength);
        });
    }
}
