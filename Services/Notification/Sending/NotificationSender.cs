using Microsoft.Extensions.Options;

namespace Shop.Notification.Sending;

/// <summary>The simulated provider turned the message down or could not be reached; the send is worth retrying.</summary>
public sealed class NotificationSendFailedException(string message) : Exception(message);

/// <summary>
/// A simulated e-mail provider: nothing leaves the machine. It takes <see cref="NotificationSenderOptions.LatencyMs"/>
/// per message and fails a <see cref="NotificationSenderOptions.FailureRate"/> share of them, so retries and
/// dead-lettering can be shown and tested.
/// </summary>
public sealed partial class NotificationSender(IOptions<NotificationSenderOptions> options, ILogger<NotificationSender> logger)
{
    /// <summary>Sends one message to <paramref name="email"/>, or throws <see cref="NotificationSendFailedException"/>.</summary>
    public async Task SendAsync(Guid notificationId, string email, string subject, string body, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        ArgumentNullException.ThrowIfNull(body);

        var settings = options.Value;
        if (settings.LatencyMs > 0)
        {
            await Task.Delay(settings.LatencyMs, cancellationToken);
        }
        // NextDouble is in [0, 1): a rate of 0 never fails and a rate of 1 always does.
        if (Random.Shared.NextDouble() < settings.FailureRate)
        {
            LogFailed(logger, notificationId);
            throw new NotificationSendFailedException($"The simulated provider refused notification {notificationId}.");
        }
        // The address is personal data: the log names the notification, not the recipient.
        LogSent(logger, notificationId);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification {NotificationId} sent")]
    private static partial void LogSent(ILogger logger, Guid notificationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {NotificationId} was refused by the provider; it will be retried")]
    private static partial void LogFailed(ILogger logger, Guid notificationId);
}
