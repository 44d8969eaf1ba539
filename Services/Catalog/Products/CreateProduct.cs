using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Shop.Catalog.Caching;
using Shop.Catalog.Data;
using Shop.Catalog.Inventory;

namespace Shop.Catalog.Products;

/// <summary>
/// <c>POST /api/v1/products</c> (admins): adds a product, then asks inventory to start its stock at
/// <c>initialStock</c> (default 0).
/// </summary>
/// <remarks>
/// The product is committed before inventory is called, and inventory being down does not undo it: the answer is
/// still 201, with <c>stockInitialized: false</c> and a warning in the log, and an admin sets the stock in inventory
/// later. The <c>ProductCreated</c> event of the order saga will make this call reliable.
/// </remarks>
public static class CreateProduct
{
    public const int MaxInitialStock = 1_000_000;

    // Nullable, so a missing field is a named validation error rather than an unreadable body.
    public sealed record CreateProductRequest(
        string? Name, decimal? Price, string? Category, string? Description = null, int? InitialStock = null);

    /// <summary>The product as <c>GET /api/v1/products/{id}</c> shows it, plus what became of its stock.</summary>
    public sealed record CreatedProduct(
        int Id, string Name, string Description, decimal Price, string Category, int InitialStock, bool StockInitialized);

    public static async Task<Results<Created<CreatedProduct>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        CreateProductRequest request,
        CatalogDbContext db,
        CatalogCache cache,
        InventoryClient inventory,
        HttpRequest httpRequest,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var categories = await ProductRules.LoadCategoriesAsync(db, cancellationToken);
        var fields = ProductRules.Validate(request.Name, request.Description, request.Price, request.Category, categories, errors);
        if (request.InitialStock is < 0 or > MaxInitialStock)
        {
            errors["initialStock"] = [$"Must be between 0 and {MaxInitialStock}."];
        }
        if (fields is null || errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (await ProductRules.NameTakenAsync(db, fields.Name, exceptId: 0, cancellationToken))
        {
            return ProductRules.DuplicateName(fields.Name);
        }

        var product = new Product
        {
            Name = fields.Name,
            Description = fields.Description,
            Price = fields.Price,
            Category = fields.Category,
        };
        db.Products.Add(product);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ProductRules.IsDuplicateName(ex))
        {
            return ProductRules.DuplicateName(fields.Name);
        }

        await cache.InvalidateAsync();

        // Not the request's token: the product exists now, so its stock is worth setting even if the caller hangs up.
        var onHand = request.InitialStock ?? 0;
        var stockInitialized = await inventory.TrySetStockAsync(
            product.Id, onHand, httpRequest.Headers.Authorization, CancellationToken.None);

        return TypedResults.Created(
            $"/api/v1/products/{product.Id}",
            new CreatedProduct(
                product.Id, product.Name, product.Description, product.Price, fields.Category.Name, onHand, stockInitialized));
    }
}
