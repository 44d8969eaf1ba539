using System.Linq.Expressions;
using Shop.Catalog.Data;

namespace Shop.Catalog.Products;

/// <summary>A product as the public API shows it.</summary>
public sealed record ProductItem(int Id, string Name, string Description, decimal Price, string Category)
{
    /// <summary>Translated to SQL, so queries read only the columns the API returns.</summary>
    public static readonly Expression<Func<Product, ProductItem>> FromProduct =
        p => new ProductItem(p.Id, p.Name, p.Description, p.Price, p.Category.Name);
}
