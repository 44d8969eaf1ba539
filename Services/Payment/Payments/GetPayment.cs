using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Shop.Payment.Data;

namespace Shop.Payment.Payments;

public static class GetPayment
{
    /// <summary>
    /// The payment of one order. A customer sees only their own: another customer's payment answers 404 like a missing
    /// one, so ids cannot be probed. <paramref name="orderId"/> is bound as text so that a bad value is reported by name.
    /// </summary>
    public static async Task<Results<Ok<PaymentView>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        string? orderId, ClaimsPrincipal user, PaymentDbContext db, CancellationToken cancellationToken)
    {
        if (OrderIdQuery.Validate(orderId) is { } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var id = Guid.Parse(orderId!);

        var payments = db.Payments.AsNoTracking().Where(p => p.OrderId == id);
        if (!user.IsAdmin())
        {
            // A token without a usable subject owns nothing.
            var customerId = user.UserId() ?? Guid.Empty;
            payments = payments.Where(p => p.CustomerId == customerId);
        }
        var payment = await payments.Select(PaymentView.FromPayment).SingleOrDefaultAsync(cancellationToken);

        return payment is null
            ? TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Payment not found",
                detail: $"Order {id} has no payment of yours.")
            : TypedResults.Ok(payment);
    }
}

/// <summary>The <c>orderId</c> query parameter's rules, shared by nothing else but kept apart to be tested alone.</summary>
public static class OrderIdQuery
{
    public const string Field = "orderId";

    /// <summary>Null when <paramref name="value"/> is a non-empty GUID; otherwise the field errors.</summary>
    public static Dictionary<string, string[]>? Validate(string? value) =>
        string.IsNullOrWhiteSpace(value) ? new() { [Field] = ["Required."] }
        : !Guid.TryParse(value, out var id) || id == Guid.Empty ? new() { [Field] = ["Must be an order id (a non-empty GUID)."] }
        : null;
}
