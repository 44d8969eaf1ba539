using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Payment.Data;
using Shop.ServiceDefaults.Data;

namespace Shop.Payment.Payments;

public static class GetPayment
{
    /// <summary>The payment of one order, for the customer who placed it or an admin (404 for anyone else).</summary>
    public static Task<Results<Ok<PaymentView>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        string? orderId, ClaimsPrincipal user, PaymentDbContext db, CancellationToken cancellationToken) =>
        CustomerOrderRecords.FindAsync(db.Payments, orderId, user, PaymentView.FromPayment, "payment", cancellationToken);
}
