using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Shop.Inventory.Data;

namespace Shop.Inventory.Stock;

public static class GetStock
{
    public static async Task<Results<Ok<StockView>, ProblemHttpResult>> HandleAsync(
        int productId, InventoryDbContext db, CancellationToken cancellationToken)
    {
        var stock = await db.StockItems.AsNoTracking()
            .Where(s => s.ProductId == productId)
            .Select(StockView.FromStockItem)
            .FirstOrDefaultAsync(cancellationToken);

        return stock is null
            ? TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Stock not found",
                detail: $"There is no stock record for product {productId}.")
            : TypedResults.Ok(stock);
    }
}
