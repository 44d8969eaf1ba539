namespace Shop.Ordering.Saga;

/// <summary>Configuration section <c>Ordering:Saga</c>.</summary>
public sealed class SagaOptions
{
    /// <summary>How long one step (reserve, charge, ship) may take before the order is compensated and cancelled.</summary>
    public TimeSpan StepTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
