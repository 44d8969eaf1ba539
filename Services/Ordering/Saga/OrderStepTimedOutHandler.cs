using Shop.Ordering.Data;
using Wolverine;

namespace Shop.Ordering.Saga;

/// <summary>A step's deadline passed: if the order is still in that step, compensate and cancel (reason <c>timeout</c>).</summary>
public static class OrderStepTimedOutHandler
{
    public static Task<OutgoingMessages> Handle(OrderStepTimedOut timedOut, OrderingDbContext db, TimeProvider clock,
        ILogger<Order> logger, CancellationToken ct) =>
        SagaStore.ApplyAsync(db, timedOut.OrderId, o => OrderSaga.Handle(o, timedOut, clock.GetUtcNow()), logger, ct);
}
