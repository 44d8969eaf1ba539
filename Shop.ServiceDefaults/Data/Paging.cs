using System.ComponentModel;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Shop.ServiceDefaults.Data;

/// <summary>
/// The query string of a paged list as sent (<c>?page=&amp;pageSize=</c>). Values arrive as strings so that
/// "pageSize=abc" becomes a field error in a ValidationProblem instead of the framework's bare 400 for a value it
/// cannot bind.
/// </summary>
public class PageParameters
{
    [FromQuery(Name = "page"), Description("Page number, 1 or more (default 1).")]
    public string? Page { get; init; }

    [FromQuery(Name = "pageSize"), Description("Items per page, 1 to 100 (default 20).")]
    public string? PageSize { get; init; }
}

/// <summary>A validated page of a list: which page, how many items on it.</summary>
public readonly record struct Paging(int Page, int PageSize)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    /// <summary>The items before this page; in long, since Page * PageSize can pass int.MaxValue.</summary>
    public long Offset => (long)(Page - 1) * PageSize;

    /// <summary>Parses the raw values, adding an error by field name for each bad one; absent values take the defaults.</summary>
    public static Paging Parse(string? page, string? pageSize, Dictionary<string, string[]> errors) => new(
        ParseInt(page, "page", 1, 1, int.MaxValue, errors),
        ParseInt(pageSize, "pageSize", DefaultPageSize, 1, MaxPageSize, errors));

    /// <summary>A whole number between <paramref name="min"/> and <paramref name="max"/>, or an error for <paramref name="field"/>.</summary>
    public static int ParseInt(string? raw, string field, int defaultValue, int min, int max, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return defaultValue;
        }
        if (!int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            errors[field] = [$"'{raw}' is not a whole number."];
        }
        else if (value < min || value > max)
        {
            errors[field] = [max == int.MaxValue ? $"Must be {min} or more." : $"Must be between {min} and {max}."];
        }
        return value;
    }

    /// <summary>This page of an ordered query holding <paramref name="total"/> items; a page past the end costs no query.</summary>
    public async Task<List<T>> ToListAsync<T>(IQueryable<T> ordered, int total, CancellationToken cancellationToken) =>
        Offset >= total ? [] : await ordered.Skip((int)Offset).Take(PageSize).ToListAsync(cancellationToken);
}
