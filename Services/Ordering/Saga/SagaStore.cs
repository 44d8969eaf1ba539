using Microsoft.EntityFrameworkCore;
using Shop.Ordering.Data;
using Wolverine;

namespace Shop.Ordering.Saga;

/// <summary>
/// Runs one saga transition inside the handler's transaction (Wolverine's EF Core transaction): locks the order row, applies the
/// pure transition, and returns its messages for Wolverine to store in the same transaction. The row lock makes
/// replies for one order (two compensations answering at once) take turns instead of overwriting each other.
/// </summary>
public static partial class SagaStore
{
    public static async Task<OutgoingMessages> ApplyAsync(
        OrderingDbContext db, Guid orderId, Func<Order, SagaOutput> transition, ILogger logger, CancellationToken cancellationToken)
    {
        var order = await LockAsync(db, orderId, cancellationToken);
        if (order is null)
        {
            LogUnknownOrder(logger, orderId);
            return [];
        }
        return ToOutgoing(transition(order));
    }

    /// <summary>The order, tracked and locked until the transaction ends; null when there is none.</summary>
    public static async Task<Order?> LockAsync(OrderingDbContext db, Guid orderId, CancellationToken cancellationToken)
    {
        // xmin is a system column: "*" alone would not return the concurrency token.
        var orders = await db.Orders
            .FromSql($"""SELECT *, xmin FROM "Orders" WHERE "Id" = {orderId} FOR UPDATE""")
            .ToListAsync(cancellationToken);
        return orders.SingleOrDefault();
    }

    public static OutgoingMessages ToOutgoing(SagaOutput output)
    {
        // A step's deadline is the order's StepDeadline column, which DeadlineSweeper watches: no scheduled message.
        var outgoing = new OutgoingMessages();
        outgoing.AddRange(output.Messages);
        return outgoing;
    }

    /// <summary>Sends a transition's messages from outside a handler (HTTP), into an open outbox transaction (<see cref="Shop.ServiceDefaults.Messaging.OutboxExtensions"/>).</summary>
    public static async Task SendAsync(IMessageBus bus, SagaOutput output)
    {
        foreach (var message in output.Messages)
        {
            await bus.PublishAsync(message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A saga message for unknown order {OrderId} was ignored")]
    private static partial void LogUnknownOrder(ILogger logger, Guid orderId);
}
