using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Shop.Catalog.Caching;
using Shop.Catalog.Data;

namespace Shop.Catalog.Products;

/// <summary><c>DELETE /api/v1/products/{id}</c> (admins): removes a product.</summary>
/// <remarks>Its stock record in inventory stays; nothing tells inventory yet (no event for it in the contracts).</remarks>
public static class DeleteProduct
{
    public static async Task<Results<NoContent, ProblemHttpResult>> HandleAsync(
        int id, CatalogDbContext db, CatalogCache cache, CancellationToken cancellationToken)
    {
        var deleted = await db.Products.Where(p => p.Id == id).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            return GetProduct.NotFound(id);
        }

        await cache.InvalidateAsync();
        return TypedResults.NoContent();
    }
}
