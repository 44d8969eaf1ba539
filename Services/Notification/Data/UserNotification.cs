namespace Shop.Notification.Data;

/// <summary>
/// One message to one user about one event: shown in the user's inbox and sent (simulated e-mail) once. Named
/// <c>UserNotification</c> because <c>Notification</c> is this service's namespace.
/// </summary>
public sealed class UserNotification
{
    public Guid Id { get; set; }

    /// <summary>The recipient: the <c>sub</c> of their access token, the <c>CustomerId</c> of their orders.</summary>
    public Guid UserId { get; set; }

    /// <summary>One of <see cref="NotificationKinds"/>.</summary>
    public required string Kind { get; set; }

    /// <summary>
    /// What the notification is about, such as <c>order_completed:{orderId}</c>; unique, so a redelivered event finds
    /// its notification instead of making a second one.
    /// </summary>
    public required string SourceKey { get; set; }

    public required string Subject { get; set; }

    public required string Body { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Set once, when the user first marks it read; null while unread.</summary>
    public DateTimeOffset? ReadAt { get; set; }

    /// <summary>Set when the sender accepted it; null while sending is pending or kept failing.</summary>
    public DateTimeOffset? SentAt { get; set; }

    /// <summary>How many delivery attempts the successful send took (0 until sent).</summary>
    public int Attempts { get; set; }
}

/// <summary>The kinds of notification, stored as text and checked by the database.</summary>
public static class NotificationKinds
{
    public const string Welcome = "welcome";
    public const string OrderPlaced = "order_placed";
    public const string OrderCompleted = "order_completed";
    public const string OrderCancelled = "order_cancelled";

    public static readonly IReadOnlyList<string> All = [Welcome, OrderPlaced, OrderCompleted, OrderCancelled];
}
