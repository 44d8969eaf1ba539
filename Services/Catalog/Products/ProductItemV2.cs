namespace Shop.Catalog.Products;

/// <summary>An amount of money in the catalogue's currency (<c>Catalog:Currency</c>).</summary>
public sealed record Money(decimal Amount, string Currency);

/// <summary>
/// A product as version 2 of the API shows it: the v1 <see cref="ProductItem"/> with its price as <see cref="Money"/>.
/// Built from the v1 item, so both versions share one query and one cache entry.
/// </summary>
public sealed record ProductItemV2(int Id, string Name, string Description, Money Price, string Category)
{
    public static ProductItemV2 From(ProductItem item, string currency) =>
        new(item.Id, item.Name, item.Description, new Money(item.Price, currency), item.Category);
}
