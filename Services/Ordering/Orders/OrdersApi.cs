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
            .Produces<OrderAccepted>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        orders.MapGet("/", GetOrders.HandleAsync);
        orders.MapGet("/{id:guid}", GetOrder.HandleAsync);
        orders.MapPost("/{id:guid}/cancel", CancelOrder.HandleAsync);
        return app;
    }
}
