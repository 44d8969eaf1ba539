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
/// <c>POST /api/v1/products</c> (admins): adds a product and publishes <c>ProductCreated</c>, from which inventory
/// creates its stock row with <c>initialStock</c> (default 0).
/// </summary>
/// <remarks>
/// The product row and the event commit in one transaction (the outbox): there is never a product whose event is
/// lost, nor an event for a product that was rolled back. Inventory applies the event shortly after, so the stock
/// shows up a moment after the 201, even if inventory or the broker is down when the product is created.
/// </remarks>
public static class CreateProduct
{
    public const int MaxInitialStock = 1_000_000;

    // Nullable, so a missing field is a named validation error rather than an unreadable body.
    public sealed record CreateProductRequest(
        string? Name, decimal? Price, string? Category, string? Description = null, int? InitialStock = null);

    /// <summary>The product as <c>GET /api/v1/products/{id}</c> shows it, plus the stock inventory will start it with.</summary>
    public sealed record CreatedProduct(int Id, string Name, string Description, decimal Price, string Category, int InitialStock);

    public static async Task<Results<Created<CreatedProduct>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        CreateProductRequest request,
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
        var onHand = request.InitialStock ?? 0;
        try
        {
            await using var transaction = await outbox.BeginTransactionAsync(cancellationToken);
            db.Products.Add(product);
            // Saved inside the transaction first: the event needs the id the database assigns.
            await db.SaveChangesAsync(cancellationToken);
            await outbox.PublishAsync(new ProductCreated(product.Id, product.Name, product.Price, options.Value.Currency, onHand));
            await outbox.CommitAsync(transaction, sends, cancellationToken);
        }
        catch (DbUpdateException ex) when (ProductRules.IsDuplicateName(ex))
        {
            return ProductRules.DuplicateName(fields.Name);
        }

        await cache.InvalidateAsync();

        return TypedResults.Created(
            $"/api/v1/products/{product.Id}",
            new CreatedProduct(product.Id, product.Name, product.Description, product.Price, fields.Category.Name, onHand));
    }
}
