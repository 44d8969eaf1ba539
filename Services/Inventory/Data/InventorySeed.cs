using Microsoft.EntityFrameworkCore;
using Shop.ServiceDefaults.Data;

namespace Shop.Inventory.Data;

/// <summary>Demo stock for the catalogue's seeded products (ids 1 to 60), written into an empty stock table.</summary>
public sealed class InventorySeed : IDatabaseSeeder<InventoryDbContext>
{
    public const int ProductCount = 60;

    /// <summary>Deterministic, between 20 and 200, so tests and demos can predict it.</summary>
    public static int InitialOnHand(int productId) => 20 + productId * 37 % 181;

    /// <summary>
    /// Adds the demo stock when the table is empty and returns the number of rows added. Callers serialise replicas
    /// (see MigrationExtensions.AddMigrations); <c>ON CONFLICT DO NOTHING</c> keeps any caller that does not from
    /// failing or overwriting a count an admin already set.
    /// </summary>
    async Task<string> IDatabaseSeeder<InventoryDbContext>.SeedAsync(InventoryDbContext db, CancellationToken cancellationToken)
        => $"{await SeedAsync(db, cancellationToken)} stock rows seeded";

    public static async Task<int> SeedAsync(InventoryDbContext db, CancellationToken cancellationToken)
    {
        if (await db.StockItems.AnyAsync(cancellationToken))
        {
            return 0;
        }

        var productIds = Enumerable.Range(1, ProductCount).ToArray();
        var onHand = productIds.Select(InitialOnHand).ToArray();
        return await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO "StockItems" ("ProductId", "OnHand", "Reserved", "UpdatedAt")
            SELECT product_id, on_hand, 0, now() FROM unnest({productIds}, {onHand}) AS seed(product_id, on_hand)
            ON CONFLICT ("ProductId") DO NOTHING
            """,
            cancellationToken);
    }
}
