using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Shop.Notification.Inbox;
using Shop.Notification.Sending;

namespace Shop.Tests.Notification;

/// <summary>The inbox's paging rules and the simulated sender's failure knob. Host-free.</summary>
public sealed class NotificationRulesTests
{
    [Theory]
    [InlineData(null, null, 1, ListNotifications.DefaultPageSize)]
    [InlineData("", "", 1, ListNotifications.DefaultPageSize)]
    [InlineData("3", "100", 3, 100)]
    [InlineData("2147483647", "1", int.MaxValue, 1)]
    public void paging_defaults_and_bounds_are_accepted(string? page, string? pageSize, int expectedPage, int expectedSize)
    {
        var errors = ListNotifications.Validate(page, pageSize, out var pageNumber, out var size);

        Assert.Empty(errors);
        Assert.Equal((expectedPage, expectedSize), (pageNumber, size));
    }

    [Theory]
    [InlineData("0", null, "page")]
    [InlineData("-1", null, "page")]
    [InlineData("abc", null, "page")]
    [InlineData("1.5", null, "page")]
    [InlineData(null, "0", "pageSize")]
    [InlineData(null, "101", "pageSize")]
    [InlineData(null, "ten", "pageSize")]
    [InlineData(null, "99999999999", "pageSize")]
    public void bad_paging_names_the_field(string? page, string? pageSize, string field)
    {
        var errors = ListNotifications.Validate(page, pageSize, out _, out _);

        var messages = Assert.Single(errors, e => e.Key == field).Value;
        Assert.NotEmpty(messages);
        Assert.Single(errors);
    }

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
