using System.Globalization;
using Shop.Contracts;
using Shop.Notification.Data;

namespace Shop.Notification.Inbox;

/// <summary>What a notification says, before it is stored: its kind, the event it is about, and its text.</summary>
public sealed record NotificationContent(string Kind, string SourceKey, string Subject, string Body);

/// <summary>
/// The text of each kind of notification and the key of the event it answers. Pure: the same event always gives the
/// same key (that is what makes a redelivery a no-op) and the same words.
/// </summary>
public static class NotificationTemplates
{
    public static string SourceKey(string kind, Guid subjectId) =>
        string.Create(CultureInfo.InvariantCulture, $"{kind}:{subjectId:D}");

    public static NotificationContent Welcome(UserRegistered registered) => new(
        NotificationKinds.Welcome,
        SourceKey(NotificationKinds.Welcome, registered.UserId),
        "Welcome to Shop",
        $"{Greeting(registered.DisplayName)} your account {registered.Email} is ready. Happy shopping!");

    public static NotificationContent OrderPlaced(OrderPlaced placed, string? displayName)
    {
        var units = placed.Items.Sum(i => i.Quantity);
        return new(
            NotificationKinds.OrderPlaced,
            SourceKey(NotificationKinds.OrderPlaced, placed.OrderId),
            "We received your order",
            $"{Greeting(displayName)} thank you for your order {placed.OrderId:D}: {units} {(units == 1 ? "item" : "items")}, " +
            $"{Money(placed.Total, placed.Currency)}. We will let you know when it ships.");
    }

    public static NotificationContent OrderCompleted(OrderCompleted completed, string? displayName) => new(
        NotificationKinds.OrderCompleted,
        SourceKey(NotificationKinds.OrderCompleted, completed.OrderId),
        "Your order is on its way",
        $"{Greeting(displayName)} your order {completed.OrderId:D} ({Money(completed.Total, completed.Currency)}) has shipped. " +
        $"Tracking number: {completed.TrackingNumber}.");

    public static NotificationContent OrderCancelled(OrderCancelled cancelled, string? displayName) => new(
        NotificationKinds.OrderCancelled,
        SourceKey(NotificationKinds.OrderCancelled, cancelled.OrderId),
        "Your order was cancelled",
        $"{Greeting(displayName)} your order {cancelled.OrderId:D} was cancelled {Why(cancelled.Reason)}. " +
        "Anything that was charged is refunded.");

    /// <summary>The reason in words for the customer; the event's <c>Detail</c> is for operators and stays out.</summary>
    public static string Why(string reason) => reason switch
    {
        OrderCancellationReasons.OutOfStock => "because some items are out of stock",
        OrderCancellationReasons.PaymentDeclined => "because the payment was declined",
        OrderCancellationReasons.ShipmentFailed => "because it could not be shipped",
        OrderCancellationReasons.Timeout => "because it could not be completed in time",
        OrderCancellationReasons.CustomerCancelled => "at your request",
        _ => "by the shop",
    };

    private static string Greeting(string? displayName) =>
        string.IsNullOrWhiteSpace(displayName) ? "Hello," : $"Hi {displayName.Trim()},";

    private static string Money(decimal amount, string currency) =>
        string.Create(CultureInfo.InvariantCulture, $"{amount:0.00} {currency}");
}
