using Microsoft.AspNetCore.Http.HttpResults;

namespace Shop.Inventory.Reservations;

public static class ReleaseReservation
{
    /// <summary>Returns the order's reserved quantities to available stock; repeating it changes nothing.</summary>
    public static async Task<Results<Ok<ReservationView>, ProblemHttpResult>> HandleAsync(
        Guid orderId, ReservationService reservations, CancellationToken cancellationToken)
    {
        var result = await reservations.ReleaseAsync(orderId, cancellationToken);
        return result switch
        {
            { Outcome: ChangeOutcome.Applied or ChangeOutcome.AlreadyApplied, Reservation: { } released } =>
                TypedResults.Ok(ReservationView.From(released)),
            { Outcome: ChangeOutcome.Conflict, Reservation: { } shipped } => TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Reservation already shipped",
                detail: $"Order {orderId} shipped at {shipped.UpdatedAt:O}; shipped stock cannot be released.",
                extensions: new Dictionary<string, object?> { ["reservation"] = ReservationView.From(shipped) }),
            _ => TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Reservation not found",
                detail: $"Order {orderId} has no reservation; nothing was released."),
        };
    }
}
