using System.Text.Json;
using RabbitMQ.Client;

namespace Shop.Tests.Messaging;

/// <summary>
/// Talks to the test run's RabbitMQ directly, the way a misbehaving network or sender would: puts messages on a
/// service's queue in Wolverine's wire format (AMQP message id = envelope id, type = the message's .NET full name,
/// JSON body), so tests can redeliver commands and inject poison.
/// </summary>
public sealed class Broker : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;

    private Broker(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public static async Task<Broker> ConnectAsync(ShopAppFixture fixture, CancellationToken ct)
    {
        var uri = await fixture.App.GetConnectionStringAsync("messaging", ct) ?? throw new InvalidOperationException("no messaging connection string");
        var connection = await new ConnectionFactory { Uri = new Uri(uri) }.CreateConnectionAsync(ct);
        return new Broker(connection, await connection.CreateChannelAsync(cancellationToken: ct));
    }

    /// <summary>Sends <paramref name="message"/> to <paramref name="queue"/> with envelope id <paramref name="envelopeId"/>.</summary>
    public async Task SendAsync(string queue, object message, Guid envelopeId, CancellationToken ct) =>
        await SendRawAsync(queue, message.GetType().FullName!, JsonSerializer.SerializeToUtf8Bytes(message, message.GetType(), JsonSerializerOptions.Web), envelopeId, ct);

    public async Task SendRawAsync(string queue, string messageType, byte[] body, Guid envelopeId, CancellationToken ct)
    {
        var properties = new BasicProperties
        {
            MessageId = envelopeId.ToString(),
            Type = messageType,
            ContentType = "application/json",
            Persistent = true,
            Headers = new Dictionary<string, object?>(),
        };
        await _channel.BasicPublishAsync(exchange: "", routingKey: queue, mandatory: true, basicProperties: properties, body: body, cancellationToken: ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
