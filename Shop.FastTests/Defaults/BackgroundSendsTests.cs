using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Shop.ServiceDefaults.Messaging;

namespace Shop.Tests.Defaults;

/// <summary>
/// The sends an HTTP request's commit starts without waiting for them: the caller is not held up, a failure is logged
/// (the messages stay in the outbox), and a stop waits for what is in flight.
/// </summary>
public sealed class BackgroundSendsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_caller_does_not_wait_for_the_send()
    {
        var sends = new BackgroundSends(NullLogger<BackgroundSends>.Instance);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sent = false;

        sends.Start(async () =>
        {
            await release.Task;
            sent = true;
        });

        Assert.False(sent);
        Assert.Equal(1, sends.Count);
        release.SetResult();
        await sends.DrainAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.True(sent);
        Assert.Equal(0, sends.Count);
    }

    [Fact]
    public async Task A_stop_waits_for_the_sends_in_flight()
    {
        var sends = new BackgroundSends(NullLogger<BackgroundSends>.Instance);
        var finished = 0;
        for (var i = 0; i < 3; i++)
        {
            sends.Start(async () =>
            {
                await Task.Delay(200, Ct);
                Interlocked.Increment(ref finished);
            });
        }

        await sends.StopAsync(Ct);

        Assert.Equal(3, finished);
        Assert.Equal(0, sends.Count);
    }

    [Fact]
    public async Task A_failed_send_is_logged_and_does_not_fail_the_stop()
    {
        var logger = new RecordingLogger();
        var sends = new BackgroundSends(logger);

        sends.Start(() => throw new InvalidOperationException("broker gone"));
        await sends.StopAsync(Ct);

        var entry = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Contains("outbox", entry.Message);
        Assert.Equal("broker gone", entry.Exception?.Message);
    }

    [Fact]
    public async Task A_stop_gives_up_after_its_timeout_and_says_how_many_are_left()
    {
        var logger = new RecordingLogger();
        var sends = new BackgroundSends(logger);
        var never = new TaskCompletionSource();
        sends.Start(() => never.Task);

        await sends.DrainAsync(TimeSpan.FromMilliseconds(100), Ct);

        var entry = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Contains("1 committed sends", entry.Message);
        never.SetResult();
    }

    private sealed class RecordingLogger : ILogger<BackgroundSends>
    {
        public List<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Entries)
            {
                Entries.Add((logLevel, formatter(state, exception), exception));
            }
        }
    }
}
