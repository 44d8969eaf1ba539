using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.Catalog.Caching;
using Shop.Catalog.Data;

namespace Shop.Catalog.Products;

public static class GetProduct
{
    public static async Task<Results<Ok<ProductItem>, ProblemHttpResult>> HandleV1Async(
        int id, CatalogDbContext db, CatalogCache cache, HttpResponse response, CancellationToken cancellationToken)
    {
        var product = await LoadAsync(id, db, cache, response, cancellationToken);
        return product is null ? NotFound(id) : TypedResults.Ok(product);
    }

    public static async Task<Results<Ok<ProductItemV2>, ProblemHttpResult>> HandleV2Async(
        int id, CatalogDbContext db, CatalogCache cache, IOptions<CatalogOptions> options, HttpResponse response,
        CancellationToken cancellationToken)
    {
        var product = await LoadAsync(id, db, cache, response, cancellationToken);
        return product is null ? NotFound(id) : TypedResults.Ok(ProductItemV2.From(product, options.Value.Currency));
    }

    /// <summary>The product, from the cache or the database, or null when there is none; sets <c>X-Cache</c>.</summary>
    private static async Task<ProductItem?> LoadAsync(
        int id, CatalogDbContext db, CatalogCache cache, HttpResponse response, CancellationToken cancellationToken)
    {
        var result = await cache.GetOrLoadAsync(
            CatalogCache.ProductCache,
            id.ToString(CultureInfo.InvariantCulture),
            ct => db.Products.AsNoTracking()
                .Where(p => p.Id == id)
                .Select(ProductItem.FromProduct)
                .FirstOrDefaultAsync(ct),
            cancellationToken);
        result.WriteHeader(response);
        return result.Value;
    }

    public static ProblemHttpResult NotFound(int id) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "Product not found",
            detail: $"There is no product with id {id}.");
}
