using Shop.Contracts;
using Shop.Notification.Inbox;
using Wolverine;

namespace Shop.Notification.Messaging;

/// <summary>An order has shipped: tell the customer, with the tracking number. One notification per order, whatever the redeliveries.</summary>
public static class OrderCompletedHandler
{
    public static Task<OutgoingMessages> Handle(OrderCompleted completed, NotificationInbox inbox, CancellationToken cancellationToken) =>
        inbox.AddAsync(completed.CustomerId, name => NotificationTemplates.OrderCompleted(completed, name), cancellationToken);
}
