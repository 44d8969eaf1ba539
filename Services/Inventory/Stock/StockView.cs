using System.Linq.Expressions;
using Shop.Inventory.Data;

namespace Shop.Inventory.Stock;

/// <summary>A product's stock as the API shows it.</summary>
public sealed record StockView(int ProductId, int OnHand, int Reserved, int Available)
{
    /// <summary>Translated to SQL for queries; <see cref="From"/> for rows already loaded.</summary>
    public static readonly Expression<Func<StockItem, StockView>> FromStockItem =
        s => new StockView(s.ProductId, s.OnHand, s.Reserved, s.OnHand - s.Reserved);

    public static StockView From(StockItem stock) => new(stock.ProductId, stock.OnHand, stock.Reserved, stock.Available);
}
