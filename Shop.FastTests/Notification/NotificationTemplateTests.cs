using Shop.Contracts;
using Shop.Notification.Data;
using Shop.Notification.Inbox;

namespace Shop.Tests.Notification;

/// <summary>What each kind of notification says, and the key that makes a redelivered event a no-op. Host-free.</summary>
public sealed class NotificationTemplateTests
{
    private static readonly Guid UserId = Guid.Parse("11111111-2222-3333-4444-555555555555");
    private static readonly Guid OrderId = Guid.Parse("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
    private static readonly DateTimeOffset At = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void a_welcome_greets_the_user_by_name_and_names_their_address()
    {
        var content = NotificationTemplates.Welcome(new UserRegistered(UserId, "ada@example.test", "Ada", At));

        Assert.Equal(NotificationKinds.Welcome, content.Kind);
        Assert.Equal("welcome:11111111-2222-3333-4444-555555555555", content.SourceKey);
        Assert.Equal("Welcome to Shop", content.Subject);
        Assert.StartsWith("Hi Ada,", content.Body, StringComparison.Ordinal);
        Assert.Contains("ada@example.test", content.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void an_order_placed_counts_the_units_and_shows_the_total_with_two_decimals()
    {
        var placed = new OrderPlaced(OrderId, UserId, [new OrderLine(1, 2), new OrderLine(7, 1)], 1234.5m, "EUR", At);

        var content = NotificationTemplates.OrderPlaced(placed, "Ada");

        Assert.Equal(NotificationKinds.OrderPlaced, content.Kind);
        Assert.Equal($"order_placed:{OrderId}", content.SourceKey);
        Assert.Equal("We received your order", content.Subject);
        Assert.Equal(
            $"Hi Ada, thank you for your order {OrderId}: 3 items, 1234.50 EUR. We will let you know when it ships.",
            content.Body);
    }

    [Fact]
    public void a_single_unit_is_one_item_and_an_unknown_recipient_is_greeted_without_a_name()
    {
        var placed = new OrderPlaced(OrderId, UserId, [new OrderLine(1, 1)], 9m, "USD", At);

        var content = NotificationTemplates.OrderPlaced(placed, displayName: null);

        Assert.StartsWith("Hello, thank you", content.Body, StringComparison.Ordinal);
        Assert.Contains(": 1 item, 9.00 USD.", content.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void an_order_completed_gives_the_tracking_number()
    {
        var content = NotificationTemplates.OrderCompleted(new OrderCompleted(OrderId, UserId, 20m, "EUR", "TRK-123", At), "Ada");

        Assert.Equal(NotificationKinds.OrderCompleted, content.Kind);
        Assert.Equal($"order_completed:{OrderId}", content.SourceKey);
        Assert.Equal("Your order is on its way", content.Subject);
        Assert.EndsWith("Tracking number: TRK-123.", content.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(OrderCancellationReasons.OutOfStock, "because some items are out of stock")]
    [InlineData(OrderCancellationReasons.PaymentDeclined, "because the payment was declined")]
    [InlineData(OrderCancellationReasons.ShipmentFailed, "because it could not be shipped")]
    [InlineData(OrderCancellationReasons.Timeout, "because it could not be completed in time")]
    [InlineData(OrderCancellationReasons.CustomerCancelled, "at your request")]
    [InlineData("something_new", "by the shop")]
    public void an_order_cancelled_says_why_in_words_and_never_the_operators_detail(string reason, string words)
    {
        var cancelled = new OrderCancelled(OrderId, UserId, reason, "Insufficient stock: product 3 (requested 5, available 1)", At);

        var content = NotificationTemplates.OrderCancelled(cancelled, "Ada");

        Assert.Equal(NotificationKinds.OrderCancelled, content.Kind);
        Assert.Equal($"order_cancelled:{OrderId}", content.SourceKey);
        Assert.Contains($"was cancelled {words}.", content.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Insufficient", content.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void the_same_event_always_has_the_same_key_and_each_kind_of_one_order_its_own()
    {
        var placed = new OrderPlaced(OrderId, UserId, [new OrderLine(1, 1)], 9m, "EUR", At);
        var completed = new OrderCompleted(OrderId, UserId, 9m, "EUR", "TRK-1", At);
        var cancelled = new OrderCancelled(OrderId, UserId, OrderCancellationReasons.Timeout, "", At);

        // The display name may change between two deliveries; the key must not.
        Assert.Equal(NotificationTemplates.OrderPlaced(placed, "Ada").SourceKey, NotificationTemplates.OrderPlaced(placed, "Countess").SourceKey);
        var keys = new[]
        {
            NotificationTemplates.OrderPlaced(placed, null).SourceKey,
            NotificationTemplates.OrderCompleted(completed, null).SourceKey,
            NotificationTemplates.OrderCancelled(cancelled, null).SourceKey,
            NotificationTemplates.Welcome(new UserRegistered(OrderId, "a@example.test", "A", At)).SourceKey,
        };
        Assert.Equal(keys.Length, keys.Distinct().Count());
        Assert.All(keys, key => Assert.InRange(key.Length, 1, NotificationDbContext.SourceKeyMaxLength));
    }

    [Fact]
    public void every_kind_a_template_makes_is_one_the_database_accepts()
    {
        var made = new[]
        {
            NotificationTemplates.Welcome(new UserRegistered(UserId, "a@example.test", "A", At)).Kind,
            NotificationTemplates.OrderPlaced(new OrderPlaced(OrderId, UserId, [], 0m, "EUR", At), null).Kind,
            NotificationTemplates.OrderCompleted(new OrderCompleted(OrderId, UserId, 0m, "EUR", "T", At), null).Kind,
            NotificationTemplates.OrderCancelled(new OrderCancelled(OrderId, UserId, "timeout", "", At), null).Kind,
        };

        Assert.Equal(NotificationKinds.All.Order(), made.Order());
    }
}
