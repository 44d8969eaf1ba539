using System.Diagnostics.Metrics;

namespace Shop.Payment;

/// <summary>
/// Payment totals for the dashboard (meter <see cref="MeterName"/>). Money goes in as <c>double</c>, the only
/// floating type instruments take: fine for a chart, while the ledger itself stays exact in the database.
/// </summary>
public sealed class PaymentMetrics
{
    public const string MeterName = "Shop.Payment";

    private readonly Counter<double> _chargedAmount;
    private readonly Counter<double> _refundedAmount;
    private readonly Counter<long> _charges;

    public PaymentMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _chargedAmount = meter.CreateCounter<double>("payment.charged.amount", unit: "{currency}",
            description: "Money charged, by currency.");
        _refundedAmount = meter.CreateCounter<double>("payment.refunded.amount", unit: "{currency}",
            description: "Money given back, by currency.");
        _charges = meter.CreateCounter<long>("payment.charges", unit: "{charge}",
            description: "Charge decisions, by outcome (charged, declined).");
    }

    public void Charged(decimal amount, string currency)
    {
        _chargedAmount.Add((double)amount, new KeyValuePair<string, object?>("currency", currency));
        _charges.Add(1, new KeyValuePair<string, object?>("outcome", "charged"));
    }

    public void Declined(string reason) =>
        _charges.Add(1, new KeyValuePair<string, object?>("outcome", "declined"), new KeyValuePair<string, object?>("reason", reason));

    public void Refunded(decimal amount, string currency) =>
        _refundedAmount.Add((double)amount, new KeyValuePair<string, object?>("currency", currency));
}
