using Shop.Contracts;
using Shop.Notification.Data;
using Shop.Notification.Inbox;
using Wolverine;

namespace Shop.Notification.Messaging;

/// <summary>A new user: remember where to reach them, and welcome them (once, whatever the redeliveries).</summary>
public static class UserRegisteredHandler
{
    public static async Task<OutgoingMessages> Handle(
        UserRegistered registered, NotificationDbContext db, NotificationInbox inbox, TimeProvider clock, CancellationToken cancellationToken)
    {
        // A row already there came from a UserProfileChanged processed first, which is newer: keep it.
        if (await db.Recipients.FindAsync([registered.UserId], cancellationToken) is null)
        {
            db.Recipients.Add(new Recipient
            {
                UserId = registered.UserId,
                Email = registered.Email,
                DisplayName = registered.DisplayName,
                UpdatedAt = clock.GetUtcNow(),
            });
        }
        return await inbox.AddAsync(registered.UserId, _ => NotificationTemplates.Welcome(registered), cancellationToken);
    }
}
