using System.ComponentModel;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.Catalog.Caching;
using Shop.Catalog.Data;
using Shop.ServiceDefaults.Data;

namespace Shop.Catalog.Products;

public static class GetProducts
{
    public const int MaxFilterLength = 100;
    private const string LikeEscape = "\\";

    /// <summary>A validated request.</summary>
    public sealed record Query(int Page, int PageSize, string? Category, string? Search)
    {
        /// <summary>
        /// Names the cached page. Filters match case-insensitively, so they are lower-cased: "Books" and "books" share
        /// an entry. Escaped, so no filter text can run into the next part.
        /// </summary>
        public string CacheKey => string.Create(
            CultureInfo.InvariantCulture, $"{Page}:{PageSize}:{Escape(Category)}:{Escape(Search)}");

        private static string Escape(string? filter) => Uri.EscapeDataString(filter?.ToLowerInvariant() ?? "");
    }

    /// <summary>The query string as sent: the page, and the filters.</summary>
    public sealed class Parameters : PageParameters
    {
        [FromQuery(Name = "category"), Description("Category name, case-insensitive exact match.")]
        public string? Category { get; init; }

        [FromQuery(Name = "q"), Description("Text searched in name and description, case-insensitive.")]
        public string? Q { get; init; }
    }

    public sealed record ProductPage(IReadOnlyList<ProductItem> Items, int Page, int PageSize, int TotalCount);

    public sealed record ProductPageV2(IReadOnlyList<ProductItemV2> Items, int Page, int PageSize, int TotalCount);

    public static async Task<Results<Ok<ProductPage>, ValidationProblem>> HandleV1Async(
        [AsParameters] Parameters parameters, CatalogDbContext db, CatalogCache cache, HttpResponse response,
        CancellationToken cancellationToken)
    {
        var errors = Validate(parameters.Page, parameters.PageSize, parameters.Category, parameters.Q, out var query);
        return errors.Count > 0
            ? TypedResults.ValidationProblem(errors)
            : TypedResults.Ok(await LoadAsync(query, db, cache, response, cancellationToken));
    }

    public static async Task<Results<Ok<ProductPageV2>, ValidationProblem>> HandleV2Async(
        [AsParameters] Parameters parameters, CatalogDbContext db, CatalogCache cache, IOptions<CatalogOptions> options,
        HttpResponse response, CancellationToken cancellationToken)
    {
        var errors = Validate(parameters.Page, parameters.PageSize, parameters.Category, parameters.Q, out var query);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var page = await LoadAsync(query, db, cache, response, cancellationToken);
        var currency = options.Value.Currency;
        return TypedResults.Ok(new ProductPageV2(
            [.. page.Items.Select(item => ProductItemV2.From(item, currency))], page.Page, page.PageSize, page.TotalCount));
    }

    /// <summary>The page, from the cache or the database; sets <c>X-Cache</c>.</summary>
    private static async Task<ProductPage> LoadAsync(
        Query query, CatalogDbContext db, CatalogCache cache, HttpResponse response, CancellationToken cancellationToken)
    {
        var result = await cache.GetOrLoadAsync<ProductPage>(
            CatalogCache.ListCache, query.CacheKey, ct => QueryDatabaseAsync(query, db, ct), cancellationToken);
        result.WriteHeader(response);
        return result.Value!;
    }

    private static async Task<ProductPage?> QueryDatabaseAsync(Query query, CatalogDbContext db, CancellationToken cancellationToken)
    {
        var products = db.Products.AsNoTracking();
        if (query.Category is { } categoryName)
        {
            products = products.Where(p => EF.Functions.ILike(p.Category.Name, EscapeLike(categoryName), LikeEscape));
        }
        if (query.Search is { } search)
        {
            var pattern = $"%{EscapeLike(search)}%";
            products = products.Where(p =>
                EF.Functions.ILike(p.Name, pattern, LikeEscape) || EF.Functions.ILike(p.Description, pattern, LikeEscape));
        }

        var totalCount = await products.CountAsync(cancellationToken);
        var items = await new Paging(query.Page, query.PageSize).ToListAsync(
            products.OrderBy(p => p.Name).ThenBy(p => p.Id).Select(ProductItem.FromProduct), totalCount, cancellationToken);

        return new ProductPage(items, query.Page, query.PageSize, totalCount);
    }

    /// <summary>Checks the raw query values; returns the errors by field name, empty when <paramref name="query"/> is valid.</summary>
    public static Dictionary<string, string[]> Validate(string? page, string? pageSize, string? category, string? q, out Query query)
    {
        var errors = new Dictionary<string, string[]>();
        var paging = Paging.Parse(page, pageSize, errors);
        var categoryName = ParseText(category, nameof(category), errors);
        var search = ParseText(q, nameof(q), errors);
        query = new Query(paging.Page, paging.PageSize, categoryName, search);
        return errors;
    }

    private static string? ParseText(string? raw, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }
        if (raw.Length > MaxFilterLength)
        {
            errors[field] = [$"Must be at most {MaxFilterLength} characters."];
        }
        else if (raw.Any(char.IsControl))
        {
            // PostgreSQL's text cannot hold a NUL (it failed the query: a 500), and no product's name has a control character.
            errors[field] = ["Must not contain control characters."];
        }
        return raw.Trim();
    }

    /// <summary>Makes user text match literally in LIKE/ILIKE: %, _ and the escape character itself lose their meaning.</summary>
    public static string EscapeLike(string text) =>
        text.Replace(LikeEscape, LikeEscape + LikeEscape, StringComparison.Ordinal)
            .Replace("%", LikeEscape + "%", StringComparison.Ordinal)
            .Replace("_", LikeEscape + "_", StringComparison.Ordinal);
}
