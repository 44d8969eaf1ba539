using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Inventory.Data;

namespace Shop.Inventory.Reservations;

public static class CreateReservation
{
    // Nullable members, so that a missing field is reported by name instead of silently becoming 0.
    public sealed record Request(Guid? OrderId, List<RequestItem?>? Items);

    public sealed record RequestItem(int? ProductId, int? Quantity);

    public static async Task<Results<Created<ReservationView>, Ok<ReservationView>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        Request request, ReservationService reservations, CancellationToken cancellationToken)
    {
        var orderId = request.OrderId ?? Guid.Empty;
        var lines = request.Items?.Select(i => new ReservationLine(i?.ProductId ?? 0, i?.Quantity ?? 0)).ToList();
        var errors = StockReservation.Validate(orderId, lines);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var result = await reservations.ReserveAsync(orderId, lines!, cancellationToken);
        return result switch
        {
            { Outcome: ReserveOutcome.Reserved, Reservation: { } created } =>
                TypedResults.Created($"/api/v1/reservations/{orderId}", ReservationView.From(created)),
            { Outcome: ReserveOutcome.AlreadyExists, Reservation: { Status: ReservationStatus.Released } released } =>
                TypedResults.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "Reservation already released",
                    detail: $"Order {orderId} was reserved and released at {released.UpdatedAt:O}; a released order is not reserved again.",
                    extensions: new Dictionary<string, object?> { ["reservation"] = ReservationView.From(released) }),
            { Outcome: ReserveOutcome.AlreadyExists, Reservation: { } existing } =>
                TypedResults.Ok(ReservationView.From(existing)),
            _ => TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Insufficient stock",
                detail: "Not enough stock for " +
                    string.Join(", ", result.Shortages.Select(s => $"product {s.ProductId} (requested {s.Requested}, available {s.Available})")) +
                    ". Nothing was reserved.",
                extensions: new Dictionary<string, object?> { ["shortages"] = result.Shortages }),
        };
    }
}
