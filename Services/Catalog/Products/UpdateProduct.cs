using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Shop.Catalog.Caching;
using Shop.Catalog.Data;

namespace Shop.Catalog.Products;

/// <summary><c>PUT /api/v1/products/{id}</c> (admins): replaces a product's name, description, price and category.</summary>
public static class UpdateProduct
{
    // Nullable, so a missing field is a named validation error rather than an unreadable body.
    public sealed record UpdateProductRequest(string? Name, decimal? Price, string? Category, string? Description = null);

    public static async Task<Results<Ok<ProductItem>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        int id, UpdateProductRequest request, CatalogDbContext db, CatalogCache cache, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var categories = await ProductRules.LoadCategoriesAsync(db, cancellationToken);
        var fields = ProductRules.Validate(request.Name, request.Description, request.Price, request.Category, categories, errors);
        if (fields is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var product = await db.Products.FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (product is null)
        {
            return GetProduct.NotFound(id);
        }
        if (await ProductRules.NameTakenAsync(db, fields.Name, exceptId: id, cancellationToken))
        {
            return ProductRules.DuplicateName(fields.Name);
        }

        product.Name = fields.Name;
        product.Description = fields.Description;
        product.Price = fields.Price;
        product.Category = fields.Category;
        product.UpdatedAt = DateTimeOffset.UtcNow;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Deleted by another request between our read and our write.
            return GetProduct.NotFound(id);
        }
        catch (DbUpdateException ex) when (ProductRules.IsDuplicateName(ex))
        {
            return ProductRules.DuplicateName(fields.Name);
        }

        await cache.InvalidateAsync();
        return TypedResults.Ok(new ProductItem(product.Id, product.Name, product.Description, product.Price, fields.Category.Name));
    }
}
