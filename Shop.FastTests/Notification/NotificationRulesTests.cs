using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Shop.Notification.Inbox;
using Shop.Notification.Sending;

namespace Shop.Tests.Notification;

/// <summary>The simulated sender's failure knob. Host-free.</summary>
public sealed class NotificationRulesTests
{
    [Fact]
    public async Task a_sender_with_failure_rate_zero_always_sends()
    {
        var sender = Sender(new NotificationSenderOptions { FailureRate = 0 });

        for (var i = 0; i < 50; i++)
        {
            await sender.SendAsync(Guid.NewGuid(), "ada@example.test", "Subject", "Body", TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task a_sender_with_failure_rate_one_always_fails_with_a_retryable_error()
    {
        var sender = Sender(new NotificationSenderOptions { FailureRate = 1 });
        var id = Guid.NewGuid();

        var error = await Assert.ThrowsAsync<NotificationSendFailedException>(
            () => sender.SendAsync(id, "ada@example.test", "Subject", "Body", TestContext.Current.CancellationToken));

        Assert.Contains(id.ToString(), error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ada@example.test", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_sender_takes_its_configured_latency()
    {
        var sender = Sender(new NotificationSenderOptions { LatencyMs = 120 });
        var watch = global::System.Diagnostics.Stopwatch.StartNew();

        await sender.SendAsync(Guid.NewGuid(), "ada@example.test", "Subject", "Body", TestContext.Current.CancellationToken);

        Assert.True(watch.ElapsedMilliseconds >= 110, $"the send took {watch.ElapsedMilliseconds} ms");
    }

    private static NotificationSender Sender(NotificationSenderOptions options) =>
        new(Options.Create(options), NullLogger<NotificationSender>.Instance);
}
