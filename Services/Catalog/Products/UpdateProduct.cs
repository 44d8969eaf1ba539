using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.Catalog.Caching;
using Shop.Catalog.Data;
using Shop.Contracts;
using Shop.ServiceDefaults.Messaging;
using Wolverine.EntityFrameworkCore;

namespace Shop.Catalog.Products;

/// <summary>
/// <c>PUT /api/v1/products/{id}</c> (admins): replaces a product's name, description, price and category. A new price
/// publishes <c>ProductPriceChanged</c> in the same transaction as the change (the outbox).
/// </summary>
public static class UpdateProduct
{
    // Nullable, so a missing field is a named validation error rather than an unreadable body.
    public sealed record UpdateProductRequest(string? Name, decimal? Price, string? Category, string? Description = null);

    public static async Task<Results<Ok<ProductItem>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        int id,
        UpdateProductRequest request,
        CatalogDbContext db,
        CatalogCache cache,
        IDbContextOutbox<CatalogDbContext> outbox,
        IOptions<CatalogOptions> options,
        BackgroundSends sends,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var categories = await ProductRules.LoadCategoriesAsync(db, cancellationToken);
        var fields = ProductRules.Validate(request.Name, request.Description, request.Price, request.Category, categories, errors);
        if (fields is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        Product? product;
        try
        {
            await using var transaction = await outbox.BeginTransactionAsync(cancellationToken);

            // Locked until the commit: a concurrent update (or delete) of the same product waits, so the event's
            // OldPrice is exactly the price this update replaced and a chain of events never skips a price.
            product = (await db.Products
                .FromSql($"""SELECT * FROM "Products" WHERE "Id" = {id} FOR UPDATE""")
                .ToListAsync(cancellationToken)).SingleOrDefault();
            if (product is null)
            {
                return GetProduct.NotFound(id);
            }
            if (await ProductRules.NameTakenAsync(db, fields.Name, exceptId: id, cancellationToken))
            {
                return ProductRules.DuplicateName(fields.Name);
            }

            var oldPrice = product.Price;
            product.Name = fields.Name;
            product.Description = fields.Description;
            product.Price = fields.Price;
            product.Category = fields.Category;
            product.UpdatedAt = DateTimeOffset.UtcNow;
            if (oldPrice != fields.Price)
            {
                await outbox.PublishAsync(new ProductPriceChanged(id, oldPrice, fields.Price, options.Value.Currency));
            }
            await outbox.CommitAsync(transaction, sends, cancellationToken);
        }
        catch (DbUpdateException ex) when (ProductRules.IsDuplicateName(ex))
        {
            return ProductRules.DuplicateName(fields.Name);
        }

        await cache.InvalidateAsync();
        return TypedResults.Ok(new ProductItem(product.Id, product.Name, product.Description, product.Price, fields.Category.Name));
    }
}
