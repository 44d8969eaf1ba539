using Microsoft.AspNetCore.Http.HttpResults;

namespace Shop.Inventory.Reservations;

public static class GetReservation
{
    public static async Task<Results<Ok<ReservationView>, ProblemHttpResult>> HandleAsync(
        Guid orderId, ReservationService reservations, CancellationToken cancellationToken)
    {
        var reservation = await reservations.FindAsync(orderId, cancellationToken);
        return reservation is null
            ? TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Reservation not found",
                detail: $"Order {orderId} has no reservation.")
            : TypedResults.Ok(ReservationView.From(reservation));
    }
}
