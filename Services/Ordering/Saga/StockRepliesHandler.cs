using Microsoft.Extensions.Options;
using Shop.Contracts;
using Shop.Ordering.Data;
using Wolverine;

namespace Shop.Ordering.Saga;

/// <summary>Inventory's answers to <c>ReserveStock</c> and <c>ReleaseStock</c>.</summary>
public static class StockRepliesHandler
{
    public static Task<OutgoingMessages> Handle(StockReserved reply, OrderingDbContext db, TimeProvider clock,
        IOptions<SagaOptions> options, ILogger<Order> logger, CancellationToken ct) =>
        SagaStore.ApplyAsync(db, reply.OrderId, o => OrderSaga.Handle(o, reply, clock.GetUtcNow(), options.Value.StepTimeout), logger, ct);

    public static Task<OutgoingMessages> Handle(StockReservationFailed reply, OrderingDbContext db, TimeProvider clock,
        ILogger<Order> logger, CancellationToken ct) =>
        SagaStore.ApplyAsync(db, reply.OrderId, o => OrderSaga.Handle(o, reply, clock.GetUtcNow()), logger, ct);

    public static Task<OutgoingMessages> Handle(StockReleased reply, OrderingDbContext db, TimeProvider clock,
        ILogger<Order> logger, CancellationToken ct) =>
        SagaStore.ApplyAsync(db, reply.OrderId, o => OrderSaga.Handle(o, reply, clock.GetUtcNow()), logger, ct);
}
