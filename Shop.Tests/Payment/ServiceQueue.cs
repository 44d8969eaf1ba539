using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RabbitMQ.Client;

namespace Shop.Tests.Payment;

/// <summary>
/// Drives a service through the broker as the order saga does: a command goes to the service's durable queue in
/// Wolverine's wire format (JSON body in Wolverine's default camelCase, the message type in the AMQP <c>type</c>
/// property, the envelope id as the AMQP message id, so a resend with the same id is a redelivery).
/// </summary>
internal static class ServiceQueue
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Sends <paramref name="command"/> and returns its envelope id.</summary>
    public static async Task<Guid> SendAsync<TCommand>(ShopAppFixture fixture, string queue, TCommand command, Guid? messageId = null, CancellationToken ct = default)
        where TCommand : notnull
    {
        var id = messageId ?? Guid.NewGuid();
        var uri = await fixture.App.GetConnectionStringAsync("messaging", ct)
            ?? throw new InvalidOperationException("The messaging resource has no connection string.");
        var factory = new ConnectionFactory { Uri = new Uri(uri) };
        await using var connection = await factory.CreateConnectionAsync(ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        var properties = new BasicProperties
        {
            MessageId = id.ToString(),
            ContentType = "application/json",
            Persistent = true,
            Type = typeof(TCommand).FullName,
        };
        await channel.BasicPublishAsync("", queue, mandatory: false, properties, JsonSerializer.SerializeToUtf8Bytes(command, Json), ct);
        return id;
    }

    /// <summary>
    /// Waits until the service has handled each envelope: its durable inbox (Wolverine's tables in the service's database)
    /// marks an envelope Handled in the same transaction as the handler's changes, and keeps it to spot redeliveries.
    /// </summary>
    public static async Task WaitUntilHandledAsync(ShopAppFixture fixture, string database, IReadOnlyCollection<Guid> envelopeIds, TimeSpan timeout, CancellationToken ct)
    {
        var connectionString = await fixture.App.GetConnectionStringAsync(database, ct);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            await using var command = new NpgsqlCommand(
                $"SELECT count(*) FROM {InboxTable} WHERE id = ANY(@ids) AND status = 'Handled'", connection);
            command.Parameters.AddWithValue("ids", envelopeIds.ToArray());
            var handled = (long)(await command.ExecuteScalarAsync(ct))!;
            if (handled == envelopeIds.Count)
            {
                return;
            }
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"{database}: {handled} of {envelopeIds.Count} envelopes handled within {timeout}.");
            }
            await Task.Delay(100, ct);
        }
    }

    private static async Task<string> RecentLogAsync(ShopAppFixture fixture, string service) => string.Join(Environment.NewLine,
        (await fixture.App.LogLinesAsync(service)).TakeLast(40));

    private const string InboxTable = "wolverine.wolverine_incoming_envelopes";

    /// <summary>Rows of a service's table for one order, read straight from its database (what the API cannot show: duplicates).</summary>
    public static async Task<long> CountRowsAsync(ShopAppFixture fixture, string database, string table, Guid orderId, CancellationToken ct)
    {
        var connectionString = await fixture.App.GetConnectionStringAsync(database, ct);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM \"{table}\" WHERE \"OrderId\" = @order", connection);
        command.Parameters.AddWithValue("order", orderId);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// GETs <paramref name="path"/> through the gateway with <paramref name="accessToken"/> until it answers 200 with a
    /// body that satisfies <paramref name="done"/>, or fails after <paramref name="timeout"/> with the last answer and
    /// the recent log of <paramref name="service"/>, the service that should have got it there.
    /// </summary>
    public static async Task<JsonElement> PollAsync(
        ShopAppFixture fixture, string service, string path, string accessToken, Func<JsonElement, bool> done, TimeSpan timeout, CancellationToken ct)
    {
        var client = fixture.Gateway;
        var deadline = DateTimeOffset.UtcNow + timeout;
        var last = "";
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            using var response = await client.SendAsync(request, ct);
            last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}";
            if (response.IsSuccessStatusCode)
            {
                using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
                if (done(doc.RootElement))
                {
                    return doc.RootElement.Clone();
                }
            }
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException(
                    $"GET {path} did not reach the expected state within {timeout}; last answer: {last}{Environment.NewLine}" +
                    $"Recent log of {service}:{Environment.NewLine}{await RecentLogAsync(fixture, service)}");
            }
            await Task.Delay(100, ct);
        }
    }
}
