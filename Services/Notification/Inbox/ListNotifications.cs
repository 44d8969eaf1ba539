using System.ComponentModel;
using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Shop.Notification.Data;

namespace Shop.Notification.Inbox;

/// <summary><c>GET /api/v1/notifications?page=&amp;pageSize=</c>: the caller's notifications, newest first.</summary>
public static class ListNotifications
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    /// <summary>Values arrive as strings, so "pageSize=abc" is a field error rather than the framework's bare 400.</summary>
    public sealed class Parameters
    {
        [FromQuery(Name = "page"), Description("Page number, 1 or more (default 1).")]
        public string? Page { get; init; }

        [FromQuery(Name = "pageSize"), Description("Items per page, 1 to 100 (default 20).")]
        public string? PageSize { get; init; }
    }

    public sealed record NotificationPage(IReadOnlyList<NotificationView> Items, int Page, int PageSize, int Total);

    public static async Task<Results<Ok<NotificationPage>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        [AsParameters] Parameters parameters, ClaimsPrincipal principal, NotificationDbContext db, CancellationToken cancellationToken)
    {
        var errors = Validate(parameters.Page, parameters.PageSize, out var page, out var pageSize);
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
        // In long: page * pageSize can pass int.MaxValue, and a page past the end needs no second query.
        var offset = (long)(page - 1) * pageSize;
        var items = offset >= total
            ? []
            : await mine
                .OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id)
                .Skip((int)offset).Take(pageSize)
                .Select(NotificationView.FromNotification)
                .ToListAsync(cancellationToken);
        return TypedResults.Ok(new NotificationPage(items, page, pageSize, total));
    }

    /// <summary>Checks the raw paging values; returns the errors by field name, empty when both are valid.</summary>
    public static Dictionary<string, string[]> Validate(string? page, string? pageSize, out int pageNumber, out int size)
    {
        var errors = new Dictionary<string, string[]>();
        pageNumber = Parse(page, nameof(page), 1, 1, int.MaxValue, errors);
        size = Parse(pageSize, nameof(pageSize), DefaultPageSize, 1, MaxPageSize, errors);
        return errors;
    }

    private static int Parse(string? raw, string field, int defaultValue, int min, int max, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return defaultValue;
        }
        if (!int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            errors[field] = ["Must be a whole number."];
        }
        else if (value < min || value > max)
        {
            errors[field] = [max == int.MaxValue ? $"Must be {min} or more." : $"Must be between {min} and {max}."];
        }
        return value;
    }
}
