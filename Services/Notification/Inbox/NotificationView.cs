using System.Linq.Expressions;
using System.Security.Claims;
using Shop.Notification.Data;
using Shop.ServiceDefaults.Authentication;

namespace Shop.Notification.Inbox;

/// <summary>A notification as its recipient sees it.</summary>
public sealed record NotificationView(
    Guid Id, string Kind, string Subject, string Body, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt, DateTimeOffset? SentAt)
{
    /// <summary>Translated to SQL, so only the shown columns are read.</summary>
    public static readonly Expression<Func<UserNotification, NotificationView>> FromNotification =
        n => new NotificationView(n.Id, n.Kind, n.Subject, n.Body, n.CreatedAt, n.ReadAt, n.SentAt);

    /// <summary>The caller's user id: the token's <c>sub</c> (claims are not remapped, see ServiceDefaults).</summary>
    public static Guid? CallerId(ClaimsPrincipal principal) => principal.UserId();

    /// <summary>A valid token without a user id (none of ours): nobody's inbox, so nothing to show.</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NoUser() =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "No user in the token",
            detail: "The access token does not name a user, so it has no notifications.");
}
