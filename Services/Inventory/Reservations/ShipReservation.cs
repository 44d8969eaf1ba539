using Microsoft.AspNetCore.Http.HttpResults;

namespace Shop.Inventory.Reservations;

public static class ShipReservation
{
    /// <summary>Takes the order's reserved quantities off on-hand stock for good; repeating it changes nothing.</summary>
    public static async Task<Results<Ok<ReservationView>, ProblemHttpResult>> HandleAsync(
        Guid orderId, ReservationService reservations, CancellationToken cancellationToken)
    {
        var result = await reservations.ShipAsync(orderId, cancellationToken);
        return result switch
        {
            { Outcome: ChangeOutcome.Applied or ChangeOutcome.AlreadyApplied, Reservation: { } shipped } =>
                TypedResults.Ok(ReservationView.From(shipped)),
            { Outcome: ChangeOutcome.Conflict, Reservation: { } released } => TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Reservation already released",
                detail: $"Order {orderId} was released at {released.UpdatedAt:O}; released stock cannot be shipped.",
                extensions: new Dictionary<string, object?> { ["reservation"] = ReservationView.From(released) }),
            _ => TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Reservation not found",
                detail: $"Order {orderId} has no reservation; nothing was shipped."),
        };
    }
}
