using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Shop.Catalog.Data;

namespace Shop.Catalog.Products;

public static class GetCategories
{
    public sealed record CategoryItem(int Id, string Name, int ProductCount);

    public static async Task<Ok<List<CategoryItem>>> HandleAsync(CatalogDbContext db, CancellationToken cancellationToken)
    {
        var categories = await db.Categories.AsNoTracking()
            .OrderBy(c => c.Name)
            .Select(c => new CategoryItem(c.Id, c.Name, c.Products.Count))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(categories);
    }
}
