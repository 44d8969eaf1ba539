using System.Security.Claims;
using Shop.Contracts;
using Shop.Ordering.Data;
using Shop.ServiceDefaults.Authentication;

namespace Shop.Ordering.Orders;

public sealed record OrderItemView(int ProductId, string Name, decimal UnitPrice, int Quantity);

public sealed record OrderStepView(DateTimeOffset At, string Step, string Outcome, string? Detail);

public sealed record CancellationView(string Reason, string? Detail, DateTimeOffset? At);

/// <summary>What <c>POST /api/v1/orders</c> answers (and answers again, word for word, to a replay of the same key).</summary>
public sealed record OrderAccepted(Guid Id, string Status, IReadOnlyList<OrderItemView> Items, decimal Total, string Currency, DateTimeOffset CreatedAt)
{
    public static OrderAccepted From(Order order) =>
        new(order.Id, nameof(OrderStatus.Placed), ItemsOf(order), order.Total, order.Currency, order.CreatedAt);

    internal static List<OrderItemView> ItemsOf(Order order) =>
        order.Items.Select(i => new OrderItemView(i.ProductId, i.Name, i.UnitPrice, i.Quantity)).ToList();
}

/// <summary><c>GET /api/v1/orders/{id}</c>: the order, its saga's status and the history of its steps.</summary>
public sealed record OrderView(
    Guid Id,
    string Status,
    IReadOnlyList<OrderItemView> Items,
    decimal Total,
    string Currency,
    ShippingAddress ShippingAddress,
    string? TrackingNumber,
    CancellationView? Cancellation,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CompletedAt,
    IReadOnlyList<OrderStepView> History)
{
    public static OrderView From(Order order, IEnumerable<OrderStep> history) => new(
        order.Id,
        order.Status.ToString(),
        OrderAccepted.ItemsOf(order),
        order.Total,
        order.Currency,
        order.ShippingAddress,
        order.TrackingNumber,
        order.CancellationReason is { } reason ? new CancellationView(reason, order.CancellationDetail, order.CancelledAt) : null,
        order.CreatedAt,
        order.UpdatedAt,
        order.CompletedAt,
        history.OrderBy(s => s.Id).Select(s => new OrderStepView(s.At, s.Name, s.Outcome, s.Detail)).ToList());
}

public static class Caller
{
    /// <summary>The signed-in customer's id (the token's <c>sub</c>); the policies guarantee there is one.</summary>
    public static Guid Id(ClaimsPrincipal user) =>
        user.UserId() ?? throw new InvalidOperationException("The token has no 'sub' claim.");

    public static bool IsAdmin(ClaimsPrincipal user) => user.IsAdmin();
}
