using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Shop.Ordering.Data;

namespace Shop.Ordering.Orders;

/// <summary><c>GET /api/v1/orders/{id}</c>: the caller's order (admins: any) with the saga's step history.</summary>
public static class GetOrder
{
    public static async Task<Results<Ok<OrderView>, ProblemHttpResult>> HandleAsync(
        Guid id, ClaimsPrincipal user, OrderingDbContext db, CancellationToken cancellationToken)
    {
        var order = await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, cancellationToken);
        // Another customer's order is "not found": its existence is none of the caller's business.
        if (order is null || (order.CustomerId != Caller.Id(user) && !Caller.IsAdmin(user)))
        {
            return NotFound(id);
        }
        var history = await db.OrderSteps.AsNoTracking().Where(s => s.OrderId == id).ToListAsync(cancellationToken);
        return TypedResults.Ok(OrderView.From(order, history));
    }

    public static ProblemHttpResult NotFound(Guid id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound, title: "Order not found", detail: $"There is no order {id} of yours.");
}
