namespace Shop.Notification.Sending;

/// <summary>
/// Send one stored notification. A local message: it never leaves this service, and travels through a durable local
/// queue (<see cref="Queue"/>), so it is stored in the same transaction as the notification and survives a restart.
/// </summary>
public sealed record SendNotification(Guid NotificationId)
{
    public const string Queue = "notification-sending";
}
