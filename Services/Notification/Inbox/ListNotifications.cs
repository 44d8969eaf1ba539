using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Shop.Notification.Data;
using Shop.ServiceDefaults.Data;

namespace Shop.Notification.Inbox;

/// <summary><c>GET /api/v1/notifications?page=&amp;pageSize=</c>: the caller's notifications, newest first.</summary>
public static class ListNotifications
{
    public sealed record NotificationPage(IReadOnlyList<NotificationView> Items, int Page, int PageSize, int Total);

    public static async Task<Results<Ok<NotificationPage>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        [AsParameters] PageParameters parameters, ClaimsPrincipal principal, NotificationDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var paging = Paging.Parse(parameters.Page, parameters.PageSize, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        if (NotificationView.CallerId(principal) is not { } userId)
        {
            return NotificationView.NoUser();
        }

        var mine = db.Notifications.AsNoTracking().Where(n => n.UserId == userId);
        var total = await mine.CountAsync(cancellationToken);
        var items = await paging.ToListAsync(
            mine.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Select(NotificationView.FromNotification),
            total, cancellationToken);
        return TypedResults.Ok(new NotificationPage(items, paging.Page, paging.PageSize, total));
    }
}
