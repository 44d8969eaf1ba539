using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Shop.Catalog.Data;

namespace Shop.Catalog.Products;

public static class GetProduct
{
    public static async Task<Results<Ok<ProductItem>, ProblemHttpResult>> HandleAsync(
        int id, CatalogDbContext db, CancellationToken cancellationToken)
    {
        var product = await db.Products.AsNoTracking()
            .Where(p => p.Id == id)
            .Select(ProductItem.FromProduct)
            .FirstOrDefaultAsync(cancellationToken);

        return product is null
            ? TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Product not found",
                detail: $"There is no product with id {id}.")
            : TypedResults.Ok(product);
    }
}
