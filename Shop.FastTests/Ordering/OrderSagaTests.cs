using Shop.Contracts;
using Shop.Ordering.Data;
using Shop.Ordering.Saga;

namespace Shop.Tests.Ordering;

/// <summary>The saga's transitions, table-driven, without a host: state × message → state, messages sent, history.</summary>
public sealed class OrderSagaTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);

    private static Order NewOrder(string? paymentToken = null) => new()
    {
        Id = Guid.NewGuid(),
        CustomerId = Guid.NewGuid(),
        Items = [new OrderItem(1, "Mug", 12.50m, 2), new OrderItem(2, "Tea", 5m, 1)],
        Total = 30m,
        Currency = "EUR",
        ShippingAddress = new ShippingAddress("Ada", "Main 1", "Utrecht", "3511", "NL"),
        PaymentToken = paymentToken,
    };

    /// <summary>An order driven to <paramref name="status"/> along the happy path.</summary>
    private static Order InState(OrderStatus status)
    {
        var order = NewOrder();
        OrderSaga.Start(order, Now, StepTimeout);
        if (status == OrderStatus.Placed)
        {
            return order;
        }
        OrderSaga.Handle(order, new StockReserved(order.Id), Now, StepTimeout);
        if (status == OrderStatus.StockReserved)
        {
            return order;
        }
        OrderSaga.Handle(order, new PaymentCharged(order.Id, Guid.NewGuid(), 30m, "EUR"), Now, StepTimeout);
        if (status == OrderStatus.Paid)
        {
            return order;
        }
        OrderSaga.Handle(order, new ShipmentCreated(order.Id, Guid.NewGuid(), "SHP-1"), Now);
        return order;
    }

    private static SagaOutput Apply(Order order, object message) => message switch
    {
        StockReserved m => OrderSaga.Handle(order, m, Now, StepTimeout),
        StockReservationFailed m => OrderSaga.Handle(order, m, Now),
        StockReleased m => OrderSaga.Handle(order, m, Now),
        PaymentCharged m => OrderSaga.Handle(order, m, Now, StepTimeout),
        PaymentDeclined m => OrderSaga.Handle(order, m, Now),
        PaymentRefunded m => OrderSaga.Handle(order, m, Now),
        ShipmentCreated m => OrderSaga.Handle(order, m, Now),
        ShipmentFailed m => OrderSaga.Handle(order, m, Now),
        ShipmentCancelled m => OrderSaga.Handle(order, m, Now),
        OrderStepTimedOut m => OrderSaga.Handle(order, m, Now),
        _ => throw new ArgumentException(message.GetType().Name),
    };

    private static object Message(string name, Guid orderId, int step) => name switch
    {
        nameof(StockReserved) => new StockReserved(orderId),
        nameof(StockReservationFailed) => new StockReservationFailed(orderId, "short"),
        nameof(StockReleased) => new StockReleased(orderId),
        nameof(PaymentCharged) => new PaymentCharged(orderId, Guid.NewGuid(), 30m, "EUR"),
        nameof(PaymentDeclined) => new PaymentDeclined(orderId, "card declined"),
        nameof(PaymentRefunded) => new PaymentRefunded(orderId, 30m, "EUR"),
        nameof(ShipmentCreated) => new ShipmentCreated(orderId, Guid.NewGuid(), "SHP-1"),
        nameof(ShipmentFailed) => new ShipmentFailed(orderId, "country AQ is not served"),
        nameof(ShipmentCancelled) => new ShipmentCancelled(orderId),
        nameof(OrderStepTimedOut) => new OrderStepTimedOut(orderId, step),
        _ => throw new ArgumentException(name),
    };

    [Fact]
    public void start_places_the_order_reserves_stock_publishes_OrderPlaced_and_sets_a_deadline()
    {
        var order = NewOrder();
        var output = OrderSaga.Start(order, Now, StepTimeout);

        Assert.Equal(OrderStatus.Placed, order.Status);
        Assert.Equal(StepTimeout, output.Deadline);
        var reserve = Assert.IsType<ReserveStock>(output.Messages[0]);
        Assert.Equal([new OrderLine(1, 2), new OrderLine(2, 1)], reserve.Items);
        var placed = Assert.IsType<OrderPlaced>(output.Messages[1]);
        Assert.Equal(30m, placed.Total);
        Assert.Equal(["order:placed", "reserve-stock:requested"], order.History.Select(h => $"{h.Name}:{h.Outcome}"));
    }

    // state, message → new state, messages sent (type names, in order), pending compensations afterwards
    public static TheoryData<OrderStatus, string, OrderStatus, string[]> Transitions => new()
    {
        // The happy path.
        { OrderStatus.Placed, nameof(StockReserved), OrderStatus.StockReserved, [nameof(ChargePayment)] },
        { OrderStatus.StockReserved, nameof(PaymentCharged), OrderStatus.Paid, [nameof(CreateShipment)] },
        { OrderStatus.Paid, nameof(ShipmentCreated), OrderStatus.Completed, [nameof(OrderCompleted)] },
        // Failures compensate what was done, in reverse.
        { OrderStatus.Placed, nameof(StockReservationFailed), OrderStatus.Cancelled, [nameof(OrderCancelled)] },
        { OrderStatus.StockReserved, nameof(PaymentDeclined), OrderStatus.Cancelling, [nameof(ReleaseStock)] },
        { OrderStatus.Paid, nameof(ShipmentFailed), OrderStatus.Cancelling, [nameof(RefundPayment), nameof(ReleaseStock)] },
        // A deadline compensates what was done and the step in flight (it may still succeed).
        { OrderStatus.Placed, nameof(OrderStepTimedOut), OrderStatus.Cancelling, [nameof(ReleaseStock)] },
        { OrderStatus.StockReserved, nameof(OrderStepTimedOut), OrderStatus.Cancelling, [nameof(RefundPayment), nameof(ReleaseStock)] },
        { OrderStatus.Paid, nameof(OrderStepTimedOut), OrderStatus.Cancelling, [nameof(CancelShipment), nameof(RefundPayment), nameof(ReleaseStock)] },
        // Duplicates of replies already applied change nothing.
        { OrderStatus.StockReserved, nameof(StockReserved), OrderStatus.StockReserved, [] },
        { OrderStatus.Paid, nameof(PaymentCharged), OrderStatus.Paid, [] },
        { OrderStatus.Completed, nameof(ShipmentCreated), OrderStatus.Completed, [] },
        { OrderStatus.Paid, nameof(StockReserved), OrderStatus.Paid, [] },
        // Replies for a step the order is not in are ignored.
        { OrderStatus.Placed, nameof(PaymentCharged), OrderStatus.Placed, [] },
        { OrderStatus.Completed, nameof(PaymentDeclined), OrderStatus.Completed, [] },
        { OrderStatus.Completed, nameof(ShipmentFailed), OrderStatus.Completed, [] },
        { OrderStatus.Completed, nameof(OrderStepTimedOut), OrderStatus.Completed, [] },
        { OrderStatus.Placed, nameof(StockReleased), OrderStatus.Placed, [] },
    };

    [Theory]
    [MemberData(nameof(Transitions))]
    public void transition(OrderStatus from, string message, OrderStatus to, string[] sent)
    {
        var order = InState(from);
        var output = Apply(order, Message(message, order.Id, order.Step));

        Assert.Equal(to, order.Status);
        Assert.Equal(sent, output.Messages.Select(m => m.GetType().Name));
    }

    [Fact]
    public void a_deadline_for_a_step_already_left_is_ignored()
    {
        var order = InState(OrderStatus.Placed);
        var oldStep = order.Step;
        OrderSaga.Handle(order, new StockReserved(order.Id), Now, StepTimeout);

        var output = OrderSaga.Handle(order, new OrderStepTimedOut(order.Id, oldStep), Now);

        Assert.Equal(OrderStatus.StockReserved, order.Status);
        Assert.Empty(output.Messages);
    }

    [Fact]
    public void payment_declined_releases_stock_then_cancels_when_the_release_is_confirmed()
    {
        var order = InState(OrderStatus.StockReserved);
        OrderSaga.Handle(order, new PaymentDeclined(order.Id, "card declined"), Now);
        Assert.Equal(Compensations.ReleaseStock, order.PendingCompensations);

        var output = OrderSaga.Handle(order, new StockReleased(order.Id), Now);

        Assert.Equal(OrderStatus.Cancelled, order.Status);
        var cancelled = Assert.IsType<OrderCancelled>(Assert.Single(output.Messages));
        Assert.Equal(OrderCancellationReasons.PaymentDeclined, cancelled.Reason);
        Assert.Equal("card declined", order.CancellationDetail);
    }

    [Fact]
    public void shipment_failed_waits_for_both_refund_and_release_in_either_order()
    {
        var order = InState(OrderStatus.Paid);
        OrderSaga.Handle(order, new ShipmentFailed(order.Id, "country AQ is not served"), Now);

        Assert.Empty(OrderSaga.Handle(order, new StockReleased(order.Id), Now).Messages);
        Assert.Equal(OrderStatus.Cancelling, order.Status);
        // A duplicate of a compensation already confirmed does not finish the saga early.
        Assert.Empty(OrderSaga.Handle(order, new StockReleased(order.Id), Now).Messages);
        Assert.Equal(OrderStatus.Cancelling, order.Status);

        var output = OrderSaga.Handle(order, new PaymentRefunded(order.Id, 30m, "EUR"), Now);
        Assert.Equal(OrderStatus.Cancelled, order.Status);
        Assert.Equal(OrderCancellationReasons.ShipmentFailed, Assert.IsType<OrderCancelled>(Assert.Single(output.Messages)).Reason);
    }

    [Fact]
    public void a_timeout_cancels_with_reason_timeout()
    {
        var order = InState(OrderStatus.StockReserved);
        OrderSaga.Handle(order, new OrderStepTimedOut(order.Id, order.Step), Now);
        OrderSaga.Handle(order, new PaymentRefunded(order.Id, 0m, "EUR"), Now);
        var output = OrderSaga.Handle(order, new StockReleased(order.Id), Now);

        Assert.Equal(OrderStatus.Cancelled, order.Status);
        Assert.Equal(OrderCancellationReasons.Timeout, Assert.IsType<OrderCancelled>(Assert.Single(output.Messages)).Reason);
        Assert.Contains(order.History, h => h.Name == "charge-payment" && h.Outcome == "timed out");
    }

    [Theory]
    [InlineData(nameof(StockReserved), nameof(ReleaseStock))]
    [InlineData(nameof(PaymentCharged), nameof(RefundPayment))]
    [InlineData(nameof(ShipmentCreated), nameof(CancelShipment))]
    public void a_late_success_after_cancellation_is_compensated(string late, string compensation)
    {
        var order = InState(OrderStatus.Placed);
        OrderSaga.CustomerCancel(order, Now);
        OrderSaga.Handle(order, new StockReleased(order.Id), Now);
        Assert.Equal(OrderStatus.Cancelled, order.Status);

        var output = Apply(order, Message(late, order.Id, order.Step));

        Assert.Equal(OrderStatus.Cancelled, order.Status);
        Assert.Equal([compensation], output.Messages.Select(m => m.GetType().Name));
        Assert.Contains(order.History, h => h.Outcome == "late");
    }

    [Fact]
    public void customer_cancel_mid_saga_compensates_done_and_in_flight_steps()
    {
        var order = InState(OrderStatus.StockReserved);

        var (outcome, output) = OrderSaga.CustomerCancel(order, Now);

        Assert.Equal(CancelOutcome.Cancelling, outcome);
        Assert.Equal([nameof(RefundPayment), nameof(ReleaseStock)], output.Messages.Select(m => m.GetType().Name));
        Assert.Equal(OrderCancellationReasons.CustomerCancelled, order.CancellationReason);
    }

    [Fact]
    public void customer_cancel_is_refused_once_completed_and_repeats_harmlessly_once_cancelled()
    {
        var completed = InState(OrderStatus.Completed);
        Assert.Equal(CancelOutcome.TooLate, OrderSaga.CustomerCancel(completed, Now).Outcome);
        Assert.Equal(OrderStatus.Completed, completed.Status);

        var cancelling = InState(OrderStatus.Placed);
        OrderSaga.CustomerCancel(cancelling, Now);
        var (again, output) = OrderSaga.CustomerCancel(cancelling, Now);
        Assert.Equal(CancelOutcome.AlreadyCancelled, again);
        Assert.Empty(output.Messages);
    }

    [Fact]
    public void every_transition_is_in_the_history_with_its_time()
    {
        var order = InState(OrderStatus.Completed);

        Assert.Equal(
            ["order:placed", "reserve-stock:requested", "reserve-stock:succeeded", "charge-payment:requested",
             "charge-payment:succeeded", "create-shipment:requested", "create-shipment:succeeded", "order:completed"],
            order.History.Select(h => $"{h.Name}:{h.Outcome}"));
        Assert.All(order.History, h => Assert.Equal(Now, h.At));
        Assert.Equal("SHP-1", order.TrackingNumber);
    }
}
