namespace Shop.Catalog.Data;

public sealed class Category
{
    public int Id { get; set; }

    /// <summary>Unique; the public API filters products by it.</summary>
    public required string Name { get; set; }

    public List<Product> Products { get; } = [];
}
