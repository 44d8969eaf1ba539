using Microsoft.EntityFrameworkCore;
using Shop.Notification.Data;
using Shop.Notification.Sending;
using Wolverine;

namespace Shop.Notification.Inbox;

/// <summary>
/// Files a notification in a user's inbox, once per event. Runs inside the event handler's transaction (Wolverine's EF
/// Core transaction saves and commits); the send itself is a separate local message, so a slow or failing sender never
/// holds up, or rolls back, the record that the event happened.
/// </summary>
public sealed class NotificationInbox(NotificationDbContext db, TimeProvider clock)
{
    /// <summary>
    /// Stores the notification <paramref name="compose"/> makes (given the recipient's display name, when known) and
    /// returns the message that sends it; returns nothing when this event already has its notification (a redelivery).
    /// </summary>
    public async Task<OutgoingMessages> AddAsync(Guid userId, Func<string?, NotificationContent> compose, CancellationToken cancellationToken)
    {
        // The key names the event, not the wording: it is the same whatever the recipient is called.
        var sourceKey = compose(null).SourceKey;
        // Both questions in one round trip: what to call the recipient, and whether this event is filed already.
        var probe = await db.Database.SqlQuery<Probe>($"""
            SELECT (SELECT "DisplayName" FROM "Recipients" WHERE "UserId" = {userId}) AS "DisplayName",
                   EXISTS (SELECT 1 FROM "Notifications" WHERE "SourceKey" = {sourceKey}) AS "Filed"
            """).SingleAsync(cancellationToken);
        // A duplicate that slips past this check (two deliveries at once) fails on the unique SourceKey; Wolverine retries
        // it, and the retry stops here.
        if (probe.Filed)
        {
            return [];
        }
        // A recipient added earlier in this transaction (before a welcome) is not in the database yet: the tracker has it.
        var displayName = db.Recipients.Local.FirstOrDefault(r => r.UserId == userId)?.DisplayName ?? probe.DisplayName;
        var content = compose(displayName);

        var notification = new UserNotification
        {
            Id = Guid.CreateVersion7(),
            UserId = userId,
            Kind = content.Kind,
            SourceKey = content.SourceKey,
            Subject = Truncate(content.Subject, NotificationDbContext.SubjectMaxLength),
            Body = Truncate(content.Body, NotificationDbContext.BodyMaxLength),
            CreatedAt = clock.GetUtcNow(),
        };
        db.Notifications.Add(notification);
        return [new SendNotification(notification.Id)];
    }

    private sealed class Probe
    {
        public string? DisplayName { get; init; }

        public bool Filed { get; init; }
    }

    private static string Truncate(string text, int maxLength) => text.Length <= maxLength ? text : text[..(maxLength - 1)] + "…";
}
