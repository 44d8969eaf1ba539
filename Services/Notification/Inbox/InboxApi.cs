using Shop.ServiceDefaults.Authentication;

namespace Shop.Notification.Inbox;

public static class InboxApi
{
    public static IEndpointRouteBuilder MapInboxApi(this IEndpointRouteBuilder app)
    {
        // Only ever the caller's own notifications: every query is filtered by the token's sub.
        var inbox = app.MapGroup("/api/v1/notifications").WithTags("Notifications").RequireAuthorization(ShopAuth.CustomerPolicy);
        inbox.MapGet("", ListNotifications.HandleAsync)
            .WithName("ListNotifications")
            .WithSummary("Lists the caller's notifications, newest first, a page at a time.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        inbox.MapGet("/unread-count", GetUnreadCount.HandleAsync)
            .WithName("GetUnreadNotificationCount")
            .WithSummary("Counts the caller's unread notifications.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        inbox.MapPost("/{id:guid}/read", MarkNotificationRead.HandleAsync)
            .WithName("MarkNotificationRead")
            .WithSummary("Marks one of the caller's notifications read.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }
}
