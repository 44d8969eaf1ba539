namespace Shop.Ordering.Saga;

/// <summary>
/// A step's deadline passed (<see cref="DeadlineSweeper"/>). <see cref="Step"/> is the order's step number the
/// deadline belongs to, so a deadline for a step the order has already left is recognised and ignored.
/// </summary>
public sealed record OrderStepTimedOut(Guid OrderId, int Step);

/// <summary>What a transition asks for: messages to send or publish, and the timeout of the step it started (kept on the order as <c>StepDeadline</c>).</summary>
public sealed record SagaOutput(IReadOnlyList<object> Messages, TimeSpan? Deadline = null)
{
    public static readonly SagaOutput Nothing = new([]);
}
