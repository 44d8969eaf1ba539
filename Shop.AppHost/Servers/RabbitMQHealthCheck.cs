using Microsoft.Extensions.Diagnostics.HealthChecks;
using RabbitMQ.Client;

namespace Shop.AppHost.Servers;

/// <summary>
/// Healthy when the broker opens and closes a channel on the AppHost's kept connection within 3 s. A new connection
/// per check cost the broker a handshake, an authentication and a set of Erlang processes each time; a channel is one
/// round trip, and still finds a broker that accepts connections but does not answer.
/// </summary>
internal sealed class RabbitMQHealthCheck(RabbitMQProcessResource server) : IHealthCheck, IAsyncDisposable
{
    private IConnection? _connection;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // A hard 3 s: the client's own operations wait up to 20 s for a broker that does not answer.
            await OpenAndCloseChannelAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(3), cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Not awaited: closing a connection to a broker that does not answer takes the client's own timeouts. The
            // connection is taken out at once, so the next check opens a new one.
            _ = DisposeAsync().AsTask();
            return new HealthCheckResult(context.Registration.FailureStatus, ex is TimeoutException ? "no answer within 3 s" : ex.InnerException?.Message ?? ex.Message);
        }
    }

    private async Task OpenAndCloseChannelAsync(CancellationToken ct)
    {
        var connection = _connection is { IsOpen: true } open ? open : await ConnectAsync(ct).ConfigureAwait(false);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct).ConfigureAwait(false);
        await channel.CloseAsync(ct).ConfigureAwait(false);
    }

    private async Task<IConnection> ConnectAsync(CancellationToken ct)
    {
        await DisposeAsync().ConfigureAwait(false);
        var factory = new ConnectionFactory
        {
            Uri = new Uri((await server.ConnectionStringExpression.GetValueAsync(ct).ConfigureAwait(false))!),
            AutomaticRecoveryEnabled = false,
            RequestedConnectionTimeout = TimeSpan.FromSeconds(3),
            ClientProvidedName = "apphost-health",
        };
        return _connection = await factory.CreateConnectionAsync(ct).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _connection, null) is { } old)
        {
            try
            {
                // Abort: close without waiting long for a broker that may be gone, and without throwing for it.
                await old.AbortAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
                await old.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A connection to a broker that is gone cannot be closed cleanly; it is dropped either way.
            }
        }
    }
}
