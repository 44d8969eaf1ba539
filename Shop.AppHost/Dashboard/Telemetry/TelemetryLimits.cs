namespace Shop.AppHost.Dashboard.Telemetry;

/// <summary>
/// How much telemetry the dashboard keeps, per resource, oldest dropped first, so a long run does not grow without
/// bound. Configured under <c>Dashboard:TelemetryLimits</c> (e.g. <c>Dashboard__TelemetryLimits__MaxLogsPerResource</c>).
/// </summary>
/// <remarks>
/// Aspire keeps 10,000 logs and 10,000 traces in all; 5,000 logs and 5,000 spans per resource is 45,000 of each for
/// this system's nine exporting processes, and keeps the AppHost under 300 MB with every limit reached (bench/Dashboard).
/// </remarks>
public sealed record TelemetryLimits
{
    public int MaxLogsPerResource { get; init; } = 5_000;
    public int MaxSpansPerResource { get; init; } = 5_000;

    /// <summary>Points kept per time series; a point that repeats the last value does not use a new slot.</summary>
    public int MaxPointsPerSeries { get; init; } = 300;

    /// <summary>Attribute combinations kept per instrument; further ones are dropped (their points counted as dropped).</summary>
    public int MaxSeriesPerInstrument { get; init; } = 100;

    public int MaxInstrumentsPerResource { get; init; } = 500;
    public int MaxAttributeCount { get; init; } = 128;
    public int MaxAttributeLength { get; init; } = 4096;
    public int MaxSpanEvents { get; init; } = 128;
}
