using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Shop.Catalog.Data;

namespace Shop.Catalog.Products;

/// <summary>What <see cref="CreateProduct"/> and <see cref="UpdateProduct"/> both check, kept in one place.</summary>
public static class ProductRules
{
    public const decimal MaxPrice = 1_000_000m;
    public const int MaxPriceDecimals = 2;

    /// <summary>Fields that passed <see cref="Validate"/>: the name trimmed, the category as stored.</summary>
    public sealed record ValidFields(string Name, string Description, decimal Price, Category Category);

    /// <summary>
    /// Checks the fields a product is written with against the existing <paramref name="categories"/>; adds errors by
    /// JSON field name and returns null when there are any.
    /// </summary>
    public static ValidFields? Validate(
        string? name, string? description, decimal? price, string? category, IReadOnlyList<Category> categories,
        Dictionary<string, string[]> errors)
    {
        var trimmedName = name?.Trim();
        if (string.IsNullOrEmpty(trimmedName))
        {
            errors["name"] = ["Required."];
        }
        else if (trimmedName.Length > CatalogDbContext.NameMaxLength)
        {
            errors["name"] = [$"Must be at most {CatalogDbContext.NameMaxLength} characters."];
        }

        if (description?.Length > CatalogDbContext.DescriptionMaxLength)
        {
            errors["description"] = [$"Must be at most {CatalogDbContext.DescriptionMaxLength} characters."];
        }

        if (price is not { } amount)
        {
            errors["price"] = ["Required."];
        }
        else if (amount <= 0 || amount > MaxPrice)
        {
            errors["price"] = [string.Create(CultureInfo.InvariantCulture, $"Must be greater than 0 and at most {MaxPrice}.")];
        }
        else if (decimal.Round(amount, MaxPriceDecimals) != amount)
        {
            errors["price"] = [$"Must have at most {MaxPriceDecimals} decimal places."];
        }

        var match = string.IsNullOrWhiteSpace(category)
            ? null
            : categories.FirstOrDefault(c => string.Equals(c.Name, category.Trim(), StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            var known = string.Join(", ", categories.Select(c => c.Name).Order(StringComparer.Ordinal));
            errors["category"] = [string.IsNullOrWhiteSpace(category)
                ? $"Required. One of: {known}."
                : $"'{category}' is not a category. One of: {known}."];
        }

        return errors.Count > 0 ? null : new ValidFields(trimmedName!, description ?? "", price!.Value, match!);
    }

    /// <summary>
    /// True when another product (not <paramref name="exceptId"/>) has this name in any letter case. A fast, friendly
    /// check; the unique index decides under concurrency (<see cref="IsDuplicateName"/>).
    /// </summary>
    public static Task<bool> NameTakenAsync(CatalogDbContext db, string name, int exceptId, CancellationToken cancellationToken)
    {
        var normalized = name.ToLowerInvariant();
        return db.Products.AnyAsync(
            p => EF.Property<string>(p, CatalogDbContext.NormalizedNameColumn) == normalized && p.Id != exceptId,
            cancellationToken);
    }

    /// <summary>The save lost a race against another writer of the same name.</summary>
    public static bool IsDuplicateName(DbUpdateException exception) =>
        exception.InnerException is PostgresException
        {
            SqlState: PostgresErrorCodes.UniqueViolation,
            ConstraintName: CatalogDbContext.ProductNameUniqueIndex,
        };

    public static ProblemHttpResult DuplicateName(string name) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "Duplicate product name",
            detail: $"A product named '{name}' already exists (names are compared ignoring case).");

    public static Task<List<Category>> LoadCategoriesAsync(CatalogDbContext db, CancellationToken cancellationToken) =>
        db.Categories.ToListAsync(cancellationToken);
}
