using System.Diagnostics.Metrics;

namespace Shop.Ordering;

/// <summary>
/// Domain metrics (meter <c>Shop.Ordering</c>): orders placed, completed and cancelled by reason, the saga's duration
/// from placement to its end, and the value of completed orders. Counted where the read model first records each
/// fact, so a redelivered event is not counted twice.
/// </summary>
public sealed class OrderingMetrics
{
    public const string MeterName = "Shop.Ordering";

    private readonly Counter<long> _placed;
    private readonly Counter<long> _completed;
    private readonly Counter<long> _cancelled;
    private readonly Histogram<double> _duration;
    private readonly Counter<double> _completedValue;

    public OrderingMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _placed = meter.CreateCounter<long>("orders.placed", "{order}", "Orders accepted");
        _completed = meter.CreateCounter<long>("orders.completed", "{order}", "Orders that reached Completed");
        _cancelled = meter.CreateCounter<long>("orders.cancelled", "{order}", "Orders cancelled, by reason");
        // Buckets for seconds: the SDK's default bounds (0, 5, 10, 25 … 10000) suit milliseconds, and would put every
        // saga of under 5 s into one bucket, so its percentiles would say nothing.
        _duration = meter.CreateHistogram<double>("orders.saga.duration", "s", "From placement to Completed or Cancelled",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 10, 30, 60] });
        _completedValue = meter.CreateCounter<double>("orders.completed.value", "{currency}", "Value of completed orders");
    }

    public void Placed() => _placed.Add(1);

    public void Completed(decimal total, string currency, TimeSpan duration)
    {
        _completed.Add(1);
        _completedValue.Add((double)total, new KeyValuePair<string, object?>("currency", currency));
        _duration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", "completed"));
    }

    public void Cancelled(string reason, TimeSpan duration)
    {
        _cancelled.Add(1, new KeyValuePair<string, object?>("reason", reason));
        _duration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", "cancelled"));
    }
}
