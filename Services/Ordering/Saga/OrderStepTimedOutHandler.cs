using Shop.Ordering.Data;
using Wolverine;

namespace Shop.Ordering.Saga;

/// <summary>
/// A step's deadline passed: if the order is still in that step, compensate and cancel (reason <c>timeout</c>).
/// Deadlines are swept from the orders table now (<see cref="DeadlineSweeper"/>); this handles the scheduled messages
/// that earlier versions left in a database's inbox.
/// </summary>
public static class OrderStepTimedOutHandler
{
    public static Task<OutgoingMessages> Handle(OrderStepTimedOut timedOut, OrderingDbContext db, TimeProvider clock,
        ILogger<Order> logger, CancellationToken ct) =>
        SagaStore.ApplyAsync(db, timedOut.OrderId, o => OrderSaga.Handle(o, timedOut, clock.GetUtcNow()), logger, ct);
}
