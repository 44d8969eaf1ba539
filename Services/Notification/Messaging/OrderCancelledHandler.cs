using Shop.Contracts;
using Shop.Notification.Inbox;
using Wolverine;

namespace Shop.Notification.Messaging;

/// <summary>An order was cancelled: tell the customer why, in words (not the operator's detail). One notification per order, whatever the redeliveries.</summary>
public static class OrderCancelledHandler
{
    public static Task<OutgoingMessages> Handle(OrderCancelled cancelled, NotificationInbox inbox, CancellationToken cancellationToken) =>
        inbox.AddAsync(cancelled.CustomerId, name => NotificationTemplates.OrderCancelled(cancelled, name), cancellationToken);
}
