using Shop.Contracts;
using Shop.Ordering.Data;

namespace Shop.Ordering.Saga;

/// <summary>
/// The order saga as pure transitions on <see cref="Order"/>: reserve → charge → ship → Completed,
/// and on a failure, a deadline or the customer's cancel, compensation of what was done, in reverse, then Cancelled.
/// No I/O: each method changes the order, appends to its history and returns the messages to send, so every
/// transition is tested without a host (Shop.Tests/Ordering). The handlers load the order under a row lock, call one
/// method, and commit the order with the returned messages (outbox) in one transaction.
/// </summary>
/// <remarks>
/// Guards, because at-least-once delivery means duplicates and late messages are normal:
/// <list type="bullet">
/// <item>A reply is applied only in the state that awaits it; a duplicate in a later state changes nothing.</item>
/// <item>A success that arrives after the order was cancelled (the step outran its deadline or the customer) is
/// undone at once: late <c>StockReserved</c> → <c>ReleaseStock</c>, late <c>PaymentCharged</c> →
/// <c>RefundPayment</c>, late <c>ShipmentCreated</c> → <c>CancelShipment</c>.</item>
/// <item>On a deadline or a customer cancel the step in flight is compensated too, since it may yet succeed; each
/// compensation is a no-op for what was never done.</item>
/// </list>
/// </remarks>
public static class OrderSaga
{
    public static SagaOutput Start(Order order, DateTimeOffset now, TimeSpan stepTimeout)
    {
        order.Status = OrderStatus.Placed;
        order.CreatedAt = order.UpdatedAt = now;
        order.Step = 1;
        order.StepDeadline = now + stepTimeout;
        Record(order, now, "order", "placed", $"{order.Items.Sum(i => i.Quantity)} items, {order.Total:0.00} {order.Currency}");
        Record(order, now, "reserve-stock", "requested");
        return new SagaOutput(
            [
                new ReserveStock(order.Id, order.Lines),
                new OrderPlaced(order.Id, order.CustomerId, order.Lines, order.Total, order.Currency, now),
            ],
            stepTimeout);
    }

    public static SagaOutput Handle(Order order, StockReserved _, DateTimeOffset now, TimeSpan stepTimeout)
    {
        if (order.Status == OrderStatus.Placed)
        {
            order.StockReserved = true;
            Record(order, now, "reserve-stock", "succeeded");
            Record(order, now, "charge-payment", "requested");
            return Advance(order, OrderStatus.StockReserved, now, stepTimeout,
                new ChargePayment(order.Id, order.CustomerId, order.Total, order.Currency, order.PaymentToken));
        }
        if (IsCancelled(order))
        {
            Record(order, now, "reserve-stock", "late", "reserved after cancellation; releasing");
            return Compensate(order, now, Compensations.ReleaseStock);
        }
        return Ignore(order, now, "reserve-stock", "succeeded");
    }

    public static SagaOutput Handle(Order order, StockReservationFailed failed, DateTimeOffset now)
    {
        if (order.Status == OrderStatus.Placed)
        {
            Record(order, now, "reserve-stock", "failed", failed.Reason);
            // Nothing was reserved, so nothing to undo.
            return Cancel(order, now, OrderCancellationReasons.OutOfStock, failed.Reason, Compensations.None);
        }
        return Ignore(order, now, "reserve-stock", "failed");
    }

    public static SagaOutput Handle(Order order, PaymentCharged charged, DateTimeOffset now, TimeSpan stepTimeout)
    {
        if (order.Status == OrderStatus.StockReserved)
        {
            order.PaymentCharged = true;
            Record(order, now, "charge-payment", "succeeded", $"{charged.Amount:0.00} {charged.Currency}");
            Record(order, now, "create-shipment", "requested");
            return Advance(order, OrderStatus.Paid, now, stepTimeout,
                new CreateShipment(order.Id, order.CustomerId, order.ShippingAddress, order.Lines));
        }
        if (IsCancelled(order))
        {
            Record(order, now, "charge-payment", "late", $"charged {charged.Amount:0.00} {charged.Currency} after cancellation; refunding");
            return Compensate(order, now, Compensations.RefundPayment);
        }
        return Ignore(order, now, "charge-payment", "succeeded");
    }

    public static SagaOutput Handle(Order order, PaymentDeclined declined, DateTimeOffset now)
    {
        if (order.Status == OrderStatus.StockReserved)
        {
            Record(order, now, "charge-payment", "failed", declined.Reason);
            return Cancel(order, now, OrderCancellationReasons.PaymentDeclined, declined.Reason, Compensations.ReleaseStock);
        }
        return Ignore(order, now, "charge-payment", "failed");
    }

    public static SagaOutput Handle(Order order, ShipmentCreated created, DateTimeOffset now)
    {
        if (order.Status == OrderStatus.Paid)
        {
            order.ShipmentCreated = true;
            order.TrackingNumber = created.TrackingNumber;
            order.Status = OrderStatus.Completed;
            order.CompletedAt = order.UpdatedAt = now;
            order.StepDeadline = null;
            order.Step++;
            Record(order, now, "create-shipment", "succeeded", $"tracking {created.TrackingNumber}");
            Record(order, now, "order", "completed");
            return new SagaOutput(
                [new OrderCompleted(order.Id, order.CustomerId, order.Total, order.Currency, created.TrackingNumber, now)]);
        }
        if (IsCancelled(order))
        {
            Record(order, now, "create-shipment", "late", $"shipment {created.TrackingNumber} booked after cancellation; cancelling it");
            return Compensate(order, now, Compensations.CancelShipment);
        }
        return Ignore(order, now, "create-shipment", "succeeded");
    }

    public static SagaOutput Handle(Order order, ShipmentFailed failed, DateTimeOffset now)
    {
        if (order.Status == OrderStatus.Paid)
        {
            Record(order, now, "create-shipment", "failed", failed.Reason);
            return Cancel(order, now, OrderCancellationReasons.ShipmentFailed, failed.Reason,
                Compensations.RefundPayment | Compensations.ReleaseStock);
        }
        return Ignore(order, now, "create-shipment", "failed");
    }

    public static SagaOutput Handle(Order order, StockReleased _, DateTimeOffset now) =>
        Compensated(order, now, Compensations.ReleaseStock, "release-stock");

    public static SagaOutput Handle(Order order, PaymentRefunded refunded, DateTimeOffset now) =>
        Compensated(order, now, Compensations.RefundPayment, "refund-payment", $"{refunded.Amount:0.00} {refunded.Currency}");

    public static SagaOutput Handle(Order order, ShipmentCancelled _, DateTimeOffset now) =>
        Compensated(order, now, Compensations.CancelShipment, "cancel-shipment");

    public static SagaOutput Handle(Order order, OrderStepTimedOut timedOut, DateTimeOffset now)
    {
        if (timedOut.Step != order.Step || !IsInProgress(order))
        {
            // The step finished in time (or the order is over): an old deadline.
            return SagaOutput.Nothing;
        }
        var step = StepInFlight(order);
        Record(order, now, step.Name, "timed out");
        return Cancel(order, now, OrderCancellationReasons.Timeout, $"{step.Name} did not answer in time", Done(order) | step.Undo);
    }

    /// <summary>The customer's cancel: refused once completed, a no-op once cancelled.</summary>
    public static (CancelOutcome Outcome, SagaOutput Output) CustomerCancel(Order order, DateTimeOffset now)
    {
        if (order.Status == OrderStatus.Completed)
        {
            return (CancelOutcome.TooLate, SagaOutput.Nothing);
        }
        if (IsCancelled(order))
        {
            return (CancelOutcome.AlreadyCancelled, SagaOutput.Nothing);
        }
        var step = StepInFlight(order);
        Record(order, now, "order", "cancel requested", "by the customer");
        return (CancelOutcome.Cancelling, Cancel(order, now, OrderCancellationReasons.CustomerCancelled,
            $"cancelled by the customer during {step.Name}", Done(order) | step.Undo));
    }

    private static SagaOutput Advance(Order order, OrderStatus next, DateTimeOffset now, TimeSpan stepTimeout, object command)
    {
        order.Status = next;
        order.Step++;
        order.StepDeadline = now + stepTimeout;
        order.UpdatedAt = now;
        return new SagaOutput([command], stepTimeout);
    }

    /// <summary>Starts compensation of <paramref name="undo"/> in reverse order of the steps; with nothing to undo the order is cancelled at once.</summary>
    private static SagaOutput Cancel(Order order, DateTimeOffset now, string reason, string detail, Compensations undo)
    {
        order.CancellationReason = reason;
        order.CancellationDetail = detail;
        order.StepDeadline = null;
        order.Step++;
        order.UpdatedAt = now;
        if (undo == Compensations.None)
        {
            return Finish(order, now);
        }
        order.Status = OrderStatus.Cancelling;
        return Compensate(order, now, undo);
    }

    private static SagaOutput Compensate(Order order, DateTimeOffset now, Compensations undo)
    {
        var messages = new List<object>();
        var reason = order.CancellationReason ?? OrderCancellationReasons.CustomerCancelled;
        // Reverse order of the saga's steps: shipment, payment, stock.
        if (undo.HasFlag(Compensations.CancelShipment))
        {
            messages.Add(new CancelShipment(order.Id, reason));
            Record(order, now, "cancel-shipment", "requested");
        }
        if (undo.HasFlag(Compensations.RefundPayment))
        {
            messages.Add(new RefundPayment(order.Id, reason));
            Record(order, now, "refund-payment", "requested");
        }
        if (undo.HasFlag(Compensations.ReleaseStock))
        {
            messages.Add(new ReleaseStock(order.Id, reason));
            Record(order, now, "release-stock", "requested");
        }
        if (order.Status == OrderStatus.Cancelling)
        {
            order.PendingCompensations |= undo;
        }
        order.UpdatedAt = now;
        return new SagaOutput(messages);
    }

    private static SagaOutput Compensated(Order order, DateTimeOffset now, Compensations done, string step, string? detail = null)
    {
        Record(order, now, step, "succeeded", detail);
        if (order.Status != OrderStatus.Cancelling || !order.PendingCompensations.HasFlag(done))
        {
            return SagaOutput.Nothing;
        }
        order.PendingCompensations &= ~done;
        order.UpdatedAt = now;
        return order.PendingCompensations == Compensations.None ? Finish(order, now) : SagaOutput.Nothing;
    }

    private static SagaOutput Finish(Order order, DateTimeOffset now)
    {
        order.Status = OrderStatus.Cancelled;
        order.CancelledAt = order.UpdatedAt = now;
        Record(order, now, "order", "cancelled", $"{order.CancellationReason}: {order.CancellationDetail}");
        return new SagaOutput(
            [new OrderCancelled(order.Id, order.CustomerId, order.CancellationReason!, order.CancellationDetail ?? "", now)]);
    }

    private static SagaOutput Ignore(Order order, DateTimeOffset now, string step, string outcome)
    {
        Record(order, now, step, "ignored", $"duplicate or late '{outcome}' while {order.Status}");
        return SagaOutput.Nothing;
    }

    private static bool IsCancelled(Order order) => order.Status is OrderStatus.Cancelling or OrderStatus.Cancelled;

    private static bool IsInProgress(Order order) => order.Status is OrderStatus.Placed or OrderStatus.StockReserved or OrderStatus.Paid;

    /// <summary>What has succeeded so far and must be undone on cancellation.</summary>
    private static Compensations Done(Order order) =>
        (order.StockReserved ? Compensations.ReleaseStock : Compensations.None)
        | (order.PaymentCharged ? Compensations.RefundPayment : Compensations.None)
        | (order.ShipmentCreated ? Compensations.CancelShipment : Compensations.None);

    private static (string Name, Compensations Undo) StepInFlight(Order order) => order.Status switch
    {
        OrderStatus.Placed => ("reserve-stock", Compensations.ReleaseStock),
        OrderStatus.StockReserved => ("charge-payment", Compensations.RefundPayment),
        OrderStatus.Paid => ("create-shipment", Compensations.CancelShipment),
        _ => ("order", Compensations.None),
    };

    private static void Record(Order order, DateTimeOffset at, string step, string outcome, string? detail = null) =>
        order.History.Add(new OrderStep { OrderId = order.Id, At = at, Name = step, Outcome = outcome, Detail = detail });
}

public enum CancelOutcome
{
    Cancelling,
    AlreadyCancelled,
    TooLate,
}
