using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Shop.Ordering.Data;

namespace Shop.Ordering.Orders;

/// <summary>
/// <c>GET /api/v1/orders?page=&amp;pageSize=</c>: the caller's orders, newest first, from the read model (updated from
/// the events, so an order placed a moment ago may take a moment to appear).
/// </summary>
public static class GetOrders
{
    public const int MaxPageSize = 100;

    public sealed record OrderListItem(
        Guid Id, string Status, decimal Total, string Currency, int ItemCount, string? TrackingNumber,
        string? CancellationReason, DateTimeOffset PlacedAt, DateTimeOffset UpdatedAt);

    public sealed record OrderPage(IReadOnlyList<OrderListItem> Items, int Page, int PageSize, int Total);

    public static async Task<Results<Ok<OrderPage>, ValidationProblem>> HandleAsync(
        ClaimsPrincipal user, OrderingDbContext db, CancellationToken cancellationToken, int page = 1, int pageSize = 20)
    {
        var errors = new Dictionary<string, string[]>();
        if (page < 1)
        {
            errors["page"] = ["Must be 1 or more."];
        }
        if (pageSize is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"Must be between 1 and {MaxPageSize}."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var customerId = Caller.Id(user);
        var mine = db.OrderSummaries.AsNoTracking().Where(s => s.CustomerId == customerId);
        var total = await mine.CountAsync(cancellationToken);
        var items = await mine
            .OrderByDescending(s => s.PlacedAt).ThenBy(s => s.OrderId)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(s => new OrderListItem(s.OrderId, s.Status, s.Total, s.Currency, s.ItemCount, s.TrackingNumber,
                s.CancellationReason, s.PlacedAt, s.UpdatedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new OrderPage(items, page, pageSize, total));
    }
}
