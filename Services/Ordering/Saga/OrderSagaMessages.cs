namespace Shop.Ordering.Saga;

/// <summary>
/// Scheduled when a step starts; handled locally. <see cref="Step"/> is the order's step number at that time, so a
/// deadline for a step the order has already left is recognised and ignored.
/// </summary>
public sealed record OrderStepTimedOut(Guid OrderId, int Step);

/// <summary>What a transition asks for: messages to send or publish, and a deadline for the step it started.</summary>
public sealed record SagaOutput(IReadOnlyList<object> Messages, TimeSpan? Deadline = null)
{
    public static readonly SagaOutput Nothing = new([]);
}
