namespace Shop.Notification.Sending;

/// <summary>The <c>Notification:Sender</c> section: how the simulated e-mail provider behaves, to produce failures on demand.</summary>
public sealed class NotificationSenderOptions
{
    public const string SectionName = "Notification:Sender";

    /// <summary>Share of sends that fail, from 0 (never, the default) to 1 (always).</summary>
    public double FailureRate { get; set; }

    /// <summary>How long each send takes, in milliseconds.</summary>
    public int LatencyMs { get; set; }
}
