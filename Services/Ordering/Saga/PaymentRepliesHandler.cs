using Microsoft.Extensions.Options;
using Shop.Contracts;
using Shop.Ordering.Data;
using Wolverine;

namespace Shop.Ordering.Saga;

/// <summary>Payment's answers to <c>ChargePayment</c> and <c>RefundPayment</c>.</summary>
public static class PaymentRepliesHandler
{
    public static Task<OutgoingMessages> Handle(PaymentCharged reply, OrderingDbContext db, TimeProvider clock,
        IOptions<SagaOptions> options, ILogger<Order> logger, CancellationToken ct) =>
        SagaStore.ApplyAsync(db, reply.OrderId, o => OrderSaga.Handle(o, reply, clock.GetUtcNow(), options.Value.StepTimeout), logger, ct);

    public static Task<OutgoingMessages> Handle(PaymentDeclined reply, OrderingDbContext db, TimeProvider clock,
        ILogger<Order> logger, CancellationToken ct) =>
        SagaStore.ApplyAsync(db, reply.OrderId, o => OrderSaga.Handle(o, reply, clock.GetUtcNow()), logger, ct);

    public static Task<OutgoingMessages> Handle(PaymentRefunded reply, OrderingDbContext db, TimeProvider clock,
        ILogger<Order> logger, CancellationToken ct) =>
        SagaStore.ApplyAsync(db, reply.OrderId, o => OrderSaga.Handle(o, reply, clock.GetUtcNow()), logger, ct);
}
