using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Shop.Notification.Data;

namespace Shop.Notification.Inbox;

/// <summary>
/// <c>POST /api/v1/notifications/{id}/read</c>: 204, also when it was read before (the first time is kept). Someone
/// else's notification is a 404, exactly like one that does not exist, so ids cannot be probed.
/// </summary>
public static class MarkNotificationRead
{
    public static async Task<Results<NoContent, ProblemHttpResult>> HandleAsync(
        Guid id, ClaimsPrincipal principal, NotificationDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (NotificationView.CallerId(principal) is not { } userId)
        {
            return NotificationView.NoUser();
        }

        var now = clock.GetUtcNow();
        // One statement: no read-then-write race with another tab marking the same notification.
        var unread = await db.Notifications
            .Where(n => n.Id == id && n.UserId == userId && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), cancellationToken);
        if (unread > 0 || await db.Notifications.AnyAsync(n => n.Id == id && n.UserId == userId, cancellationToken))
        {
            return TypedResults.NoContent();
        }
        return TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "Notification not found",
            detail: $"You have no notification {id}.");
    }
}
