using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Shop.Ordering.Data;
using Shop.Ordering.Saga;
using Shop.ServiceDefaults.Messaging;
using Wolverine.EntityFrameworkCore;

namespace Shop.Ordering.Orders;

/// <summary>
/// <c>POST /api/v1/orders/{id}/cancel</c>: the customer cancels before the order completes. What the saga has done
/// (and the step in flight) is compensated; the order ends Cancelled with reason <c>customer_cancelled</c>.
/// 202 while compensating (again for a repeated cancel), 409 once completed.
/// </summary>
public static class CancelOrder
{
    public static async Task<Results<Accepted<OrderView>, ProblemHttpResult>> HandleAsync(
        Guid id, ClaimsPrincipal user, OrderingDbContext db, IDbContextOutbox<OrderingDbContext> outbox, BackgroundSends sends, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        await using var transaction = await outbox.BeginTransactionAsync(cancellationToken);
        var order = await SagaStore.LockAsync(db, id, cancellationToken);
        if (order is null || order.CustomerId != Caller.Id(user))
        {
            return GetOrder.NotFound(id);
        }

        var (outcome, output) = OrderSaga.CustomerCancel(order, clock.GetUtcNow());
        if (outcome == CancelOutcome.TooLate)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Order already completed",
                detail: $"Order {id} has shipped and can no longer be cancelled.");
        }
        await SagaStore.SendAsync(outbox, output);
        await outbox.CommitAsync(transaction, sends, cancellationToken);

        var history = await db.OrderSteps.AsNoTracking().Where(s => s.OrderId == id).ToListAsync(cancellationToken);
        return TypedResults.Accepted($"/api/v1/orders/{id}", OrderView.From(order, history));
    }
}
