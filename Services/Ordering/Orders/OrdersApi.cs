using Shop.ServiceDefaults.Authentication;

namespace Shop.Ordering.Orders;

public static class OrdersApi
{
    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var orders = app.MapGroup("/api/v1/orders")
            .WithTags("Orders")
            .RequireAuthorization(ShopAuth.CustomerPolicy);

        orders.MapPost("/", PlaceOrder.HandleAsync)
            .WithName("PlaceOrder")
            .WithSummary("Places an order: 202 with its Location once it is saved; the saga then reserves stock, takes payment and ships.")
            .Produces<OrderAccepted>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        orders.MapGet("/", GetOrders.HandleAsync)
            .WithName("ListOrders")
            .WithSummary("Lists the caller's orders, newest first, a page at a time.");
        orders.MapGet("/{id:guid}", GetOrder.HandleAsync)
            .WithName("GetOrder")
            .WithSummary("Gets one of the caller's orders (admins: any) with the saga's steps so far.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        orders.MapPost("/{id:guid}/cancel", CancelOrder.HandleAsync)
            .WithName("CancelOrder")
            .WithSummary("Cancels one of the caller's orders before it ships: 202, and the saga compensates what it has done.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }
}
