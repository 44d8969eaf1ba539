using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Wolverine.EntityFrameworkCore;

namespace Shop.ServiceDefaults.Messaging;

/// <summary>
/// The outbox outside a message handler, on WolverineFx.EntityFrameworkCore's <see cref="IDbContextOutbox{T}"/>: an
/// HTTP endpoint stores its changes and the messages it publishes in one transaction, answers once that has committed,
/// and the messages leave for the broker in the background (<see cref="BackgroundSends"/>).
/// </summary>
/// <example>
/// <code>
/// await using var transaction = await outbox.BeginTransactionAsync(ct);
/// outbox.DbContext.Orders.Add(order);
/// await outbox.PublishAsync(new OrderPlaced(...));
/// await outbox.CommitAsync(transaction, sends, ct);
/// </code>
/// </example>
public static class OutboxExtensions
{
    /// <summary>
    /// Opens the transaction the changes and the published messages are stored in (publish before commit: each
    /// message's outbox row is written into it at once). Disposing it uncommitted rolls both back; that outbox's
    /// messages are then never sent.
    /// </summary>
    public static Task<IDbContextTransaction> BeginTransactionAsync<TDbContext>(
        this IDbContextOutbox<TDbContext> outbox, CancellationToken cancellationToken) where TDbContext : DbContext =>
        outbox.DbContext.Database.BeginTransactionAsync(cancellationToken);

    /// <summary>
    /// Saves and commits; the stored messages are then handed to the broker by <paramref name="sends"/>, so the client
    /// does not wait for the broker's confirms (a placed order's 202 used to wait for two publishes, two confirms and
    /// two outbox deletes, a third of the request at idle). Not in the response's <c>OnCompleted</c>: Kestrel reads the
    /// connection's next request only after those callbacks, so a stalled broker would stall every request that
    /// reuses the connection. Until sent, the messages are safe in the outbox: see <see cref="BackgroundSends"/>.
    /// </summary>
    public static async Task CommitAsync<TDbContext>(
        this IDbContextOutbox<TDbContext> outbox, IDbContextTransaction transaction, BackgroundSends sends,
        CancellationToken cancellationToken) where TDbContext : DbContext
    {
        await outbox.DbContext.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        sends.Start(outbox.FlushOutgoingMessagesAsync);
    }
}
