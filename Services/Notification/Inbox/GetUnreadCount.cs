using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Shop.Notification.Data;

namespace Shop.Notification.Inbox;

/// <summary><c>GET /api/v1/notifications/unread-count</c>: <c>{ "count": n }</c>, as the gateway's summary reads it.</summary>
public static class GetUnreadCount
{
    public sealed record UnreadCount(int Count);

    public static async Task<Results<Ok<UnreadCount>, ProblemHttpResult>> HandleAsync(
        ClaimsPrincipal principal, NotificationDbContext db, CancellationToken cancellationToken)
    {
        if (NotificationView.CallerId(principal) is not { } userId)
        {
            return NotificationView.NoUser();
        }
        var count = await db.Notifications.CountAsync(n => n.UserId == userId && n.ReadAt == null, cancellationToken);
        return TypedResults.Ok(new UnreadCount(count));
    }
}
