using Shop.ServiceDefaults.Authentication;

namespace Shop.Payment.Payments;

public static class PaymentsApi
{
    public static IEndpointRouteBuilder MapPaymentsApi(this IEndpointRouteBuilder app)
    {
        var payments = app.MapGroup("/api/v1/payments")
            .WithTags("Payments")
            .RequireAuthorization(ShopAuth.CustomerPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        payments.MapGet("", GetPayment.HandleAsync)
            .WithName("GetPayment")
            .WithSummary("Gets the payment of an order (?orderId=): the caller's own, or any for an admin.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }
}
