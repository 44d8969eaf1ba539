namespace Shop.Ordering.Saga;

/// <summary>Configuration section <c>Ordering:Saga</c>.</summary>
public sealed class SagaOptions
{
    /// <summary>How long one step (reserve, charge, ship) may take before the order is compensated and cancelled.</summary>
    public TimeSpan StepTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the deadline sweeper looks for orders past their step's deadline.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>At most this many orders are timed out in one transaction.</summary>
    public int SweepBatchSize { get; set; } = 50;
}
