using Shop.ServiceDefaults.Authentication;

namespace Shop.Shipping.Shipments;

public static class ShipmentsApi
{
    public static IEndpointRouteBuilder MapShipmentsApi(this IEndpointRouteBuilder app)
    {
        var shipments = app.MapGroup("/api/v1/shipments")
            .WithTags("Shipments")
            .RequireAuthorization(ShopAuth.CustomerPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        shipments.MapGet("", GetShipment.HandleAsync)
            .WithName("GetShipment")
            .WithSummary("Gets the shipment of an order (?orderId=): the caller's own, or any for an admin.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }
}
