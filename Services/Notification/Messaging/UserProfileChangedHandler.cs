using Shop.Contracts;
using Shop.Notification.Data;

namespace Shop.Notification.Messaging;

/// <summary>Keeps the recipient directory current. No notification: the user made the change themselves.</summary>
public static class UserProfileChangedHandler
{
    public static async Task Handle(UserProfileChanged changed, NotificationDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var recipient = await db.Recipients.FindAsync([changed.UserId], cancellationToken);
        if (recipient is null)
        {
            // Seen before its UserRegistered (or the user predates this service): the change carries everything we keep.
            db.Recipients.Add(new Recipient
            {
                UserId = changed.UserId,
                Email = changed.Email,
                DisplayName = changed.DisplayName,
                UpdatedAt = clock.GetUtcNow(),
            });
            return;
        }
        recipient.Email = changed.Email;
        recipient.DisplayName = changed.DisplayName;
        recipient.UpdatedAt = clock.GetUtcNow();
    }
}
