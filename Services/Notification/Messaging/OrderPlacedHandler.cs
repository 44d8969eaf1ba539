using Shop.Contracts;
using Shop.Notification.Inbox;
using Wolverine;

namespace Shop.Notification.Messaging;

/// <summary>An order was accepted: tell the customer what they ordered. One notification per order, whatever the redeliveries.</summary>
public static class OrderPlacedHandler
{
    public static Task<OutgoingMessages> Handle(OrderPlaced placed, NotificationInbox inbox, CancellationToken cancellationToken) =>
        inbox.AddAsync(placed.CustomerId, name => NotificationTemplates.OrderPlaced(placed, name), cancellationToken);
}
