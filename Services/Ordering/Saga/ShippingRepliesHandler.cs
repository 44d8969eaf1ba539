using Shop.Contracts;
using Shop.Ordering.Data;
using Wolverine;

namespace Shop.Ordering.Saga;

/// <summary>Shipping's answers to <c>CreateShipment</c> and <c>CancelShipment</c>.</summary>
public static class ShippingRepliesHandler
{
    public static Task<OutgoingMessages> Handle(ShipmentCreated reply, OrderingDbContext db, TimeProvider clock,
        ILogger<Order> logger, CancellationToken ct) =>
        SagaStore.ApplyAsync(db, reply.OrderId, o => OrderSaga.Handle(o, reply, clock.GetUtcNow()), logger, ct);

    public static Task<OutgoingMessages> Handle(ShipmentFailed reply, OrderingDbContext db, TimeProvider clock,
        ILogger<Order> logger, CancellationToken ct) =>
        SagaStore.ApplyAsync(db, reply.OrderId, o => OrderSaga.Handle(o, reply, clock.GetUtcNow()), logger, ct);

    public static Task<OutgoingMessages> Handle(ShipmentCancelled reply, OrderingDbContext db, TimeProvider clock,
        ILogger<Order> logger, CancellationToken ct) =>
        SagaStore.ApplyAsync(db, reply.OrderId, o => OrderSaga.Handle(o, reply, clock.GetUtcNow()), logger, ct);
}
