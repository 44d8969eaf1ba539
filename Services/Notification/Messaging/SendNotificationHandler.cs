using Microsoft.EntityFrameworkCore;
using Shop.Notification.Data;
using Shop.Notification.Sending;
using Wolverine;

namespace Shop.Notification.Messaging;

/// <summary>
/// Sends a stored notification and records when. A failed send throws: the transaction rolls back, and Wolverine's
/// retry policy tries again, then dead-letters the message (replayable). Sent already (a redelivery): nothing happens.
/// </summary>
/// <remarks>
/// The send cannot join the transaction, so a crash between a successful send and the commit sends the message again
/// on redelivery: at-least-once, the usual promise of e-mail. The inbox itself never holds a duplicate.
/// </remarks>
public static partial class SendNotificationHandler
{
    public static async Task Handle(
        SendNotification command, NotificationDbContext db, NotificationSender sender, Envelope envelope, TimeProvider clock,
        ILogger<NotificationSender> logger, CancellationToken cancellationToken)
    {
        // The notification (tracked, to record the send) and its recipient's address, in one query.
        var found = await db.Notifications
            .Where(n => n.Id == command.NotificationId)
            .Select(n => new { Notification = n, Email = db.Recipients.Where(r => r.UserId == n.UserId).Select(r => r.Email).FirstOrDefault() })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null || found.Notification.SentAt is not null)
        {
            return;
        }

        var notification = found.Notification;
        if (found.Email is null)
        {
            // Identity never announced this user (an account seeded at start-up, such as the admin): there is no address
            // to send to, so the notification lives in the inbox only. Retrying would not make an address appear.
            LogNoAddress(logger, notification.Id, notification.UserId);
            return;
        }

        await sender.SendAsync(notification.Id, found.Email, notification.Subject, notification.Body, cancellationToken);
        notification.SentAt = clock.GetUtcNow();
        // Wolverine counts this delivery's attempts from 1; failed attempts rolled back, so this is where they are recorded.
        notification.Attempts = Math.Max(1, envelope.Attempts);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {NotificationId} not sent: no address is known for user {UserId}")]
    private static partial void LogNoAddress(ILogger logger, Guid notificationId, Guid userId);
}
