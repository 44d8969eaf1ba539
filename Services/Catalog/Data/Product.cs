namespace Shop.Catalog.Data;

public sealed class Product
{
    public int Id { get; set; }

    public required string Name { get; set; }

    public required string Description { get; set; }

    public decimal Price { get; set; }

    public int CategoryId { get; set; }

    public Category Category { get; set; } = null!;

    /// <summary>Set by the database on insert.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Set by the database on insert; writers update it when they change the product.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
}
