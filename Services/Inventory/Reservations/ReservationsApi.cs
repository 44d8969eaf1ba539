using Shop.ServiceDefaults.Authentication;

namespace Shop.Inventory.Reservations;

public static class ReservationsApi
{
    /// <summary>
    /// Admin-only for now: the order saga will drive reservations over messaging; until then these endpoints let the
    /// model be exercised end to end.
    /// </summary>
    public static IEndpointRouteBuilder MapReservationsApi(this IEndpointRouteBuilder app)
    {
        var reservations = app.MapGroup("/api/v1/reservations")
            .WithTags("Reservations")
            .RequireAuthorization(ShopAuth.AdminPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        reservations.MapPost("", CreateReservation.HandleAsync)
            .WithName("CreateReservation")
            .WithSummary("Reserves every item of an order, or nothing (409 naming the short items). Idempotent per order.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        reservations.MapGet("/{orderId:guid}", GetReservation.HandleAsync)
            .WithName("GetReservation")
            .WithSummary("Gets an order's reservation.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        reservations.MapPost("/{orderId:guid}/release", ReleaseReservation.HandleAsync)
            .WithName("ReleaseReservation")
            .WithSummary("Returns an order's reserved stock. Idempotent.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        reservations.MapPost("/{orderId:guid}/ship", ShipReservation.HandleAsync)
            .WithName("ShipReservation")
            .WithSummary("Takes an order's reserved stock off on-hand for good. Idempotent.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }
}
