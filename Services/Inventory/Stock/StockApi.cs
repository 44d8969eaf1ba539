using Shop.ServiceDefaults.Authentication;

namespace Shop.Inventory.Stock;

public static class StockApi
{
    public static IEndpointRouteBuilder MapStockApi(this IEndpointRouteBuilder app)
    {
        var stock = app.MapGroup("/api/v1/stock").WithTags("Stock");
        stock.MapGet("/{productId:int}", GetStock.HandleAsync)
            .WithName("GetStock")
            .WithSummary("Gets a product's stock: on hand, reserved and available. Public.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        stock.MapPut("/{productId:int}", SetStock.HandleAsync)
            .WithName("SetStock")
            .WithSummary("Sets a product's on-hand quantity, creating its stock record if needed. Admin only.")
            .RequireAuthorization(ShopAuth.AdminPolicy)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }
}
