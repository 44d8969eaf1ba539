using Microsoft.EntityFrameworkCore;
using Shop.Contracts;
using Shop.Inventory.Data;

namespace Shop.Inventory.Messaging;

/// <summary>
/// A new product gets its stock row with the initial quantity the admin gave. A row that already exists (a
/// redelivery, or stock an admin set first) is left as it is.
/// </summary>
public static class ProductCreatedHandler
{
    public static async Task Handle(ProductCreated created, InventoryDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await db.StockItems.AnyAsync(s => s.ProductId == created.ProductId, cancellationToken))
        {
            return;
        }
        db.StockItems.Add(new StockItem
        {
            ProductId = created.ProductId,
            OnHand = Math.Max(0, created.InitialStock),
            UpdatedAt = clock.GetUtcNow(),
        });
    }
}
