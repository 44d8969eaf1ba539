using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Shop.Ordering.Data;
using Shop.ServiceDefaults.Data;

namespace Shop.Ordering.Orders;

/// <summary>
/// <c>GET /api/v1/orders?page=&amp;pageSize=</c>: the caller's orders, newest first, from the read model (updated from
/// the events, so an order placed a moment ago may take a moment to appear).
/// </summary>
public static class GetOrders
{
    public sealed record OrderListItem(
        Guid Id, string Status, decimal Total, string Currency, int ItemCount, string? TrackingNumber,
        string? CancellationReason, DateTimeOffset PlacedAt, DateTimeOffset UpdatedAt);

    public sealed record OrderPage(IReadOnlyList<OrderListItem> Items, int Page, int PageSize, int Total);

    public static async Task<Results<Ok<OrderPage>, ValidationProblem>> HandleAsync(
        [AsParameters] PageParameters parameters, ClaimsPrincipal user, OrderingDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var paging = Paging.Parse(parameters.Page, parameters.PageSize, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var customerId = Caller.Id(user);
        var mine = db.OrderSummaries.AsNoTracking().Where(s => s.CustomerId == customerId);
        var total = await mine.CountAsync(cancellationToken);
        var items = await paging.ToListAsync(
            mine.OrderByDescending(s => s.PlacedAt).ThenBy(s => s.OrderId)
                .Select(s => new OrderListItem(s.OrderId, s.Status, s.Total, s.Currency, s.ItemCount, s.TrackingNumber,
                    s.CancellationReason, s.PlacedAt, s.UpdatedAt)),
            total, cancellationToken);
        return TypedResults.Ok(new OrderPage(items, paging.Page, paging.PageSize, total));
    }
}
