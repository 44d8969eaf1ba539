namespace Shop.Contracts;

/// <summary>
/// The RabbitMQ queue each service listens on (durable). Commands are sent to the owner's queue; events go to an
/// exchange named after the event type, which each subscriber binds its queue to.
/// </summary>
public static class Queues
{
    public const string Identity = "identity";
    public const string Catalog = "catalog";
    public const string Inventory = "inventory";
    public const string Ordering = "ordering";
    public const string Payment = "payment";
    public const string Shipping = "shipping";
    public const string Notification = "notification";
}
