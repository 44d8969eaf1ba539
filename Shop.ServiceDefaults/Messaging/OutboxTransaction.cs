using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Wolverine;
using Wolverine.Persistence.Durability;
using Wolverine.RDBMS;
using Wolverine.Runtime;

namespace Shop.ServiceDefaults.Messaging;

/// <summary>
/// A database transaction that Wolverine's outbox writes into: messages sent or published while it is open are
/// stored in the same transaction as the DbContext's changes, and leave for the broker only after it commits.
/// </summary>
/// <example>
/// <code>
/// await using var outbox = await OutboxTransaction.BeginAsync(db, bus, ct);
/// db.Orders.Add(order);
/// await bus.PublishAsync(new OrderPlaced(...));
/// await outbox.CommitAsync(ct);
/// </code>
/// </example>
public sealed class OutboxTransaction : IAsyncDisposable
{
    private readonly DbContext _db;
    private readonly MessageContext _context;
    private readonly IMessageDatabase _database;
    private readonly IDbContextTransaction _transaction;
    private bool _committed;
    private bool _disposed;

    private OutboxTransaction(DbContext db, MessageContext context, IMessageDatabase database, IDbContextTransaction transaction)
    {
        _db = db;
        _context = context;
        _database = database;
        _transaction = transaction;
    }

    public static async Task<OutboxTransaction> BeginAsync(DbContext db, IMessageBus bus, CancellationToken cancellationToken)
    {
        var context = bus as MessageContext
            ?? throw new InvalidOperationException($"Expected Wolverine's MessageContext, got {bus.GetType().Name}.");
        var database = context.Storage as IMessageDatabase
            ?? throw new InvalidOperationException("The outbox needs Wolverine's PostgreSQL message storage (PersistMessagesWithPostgresql).");

        // No savepoint around SaveChanges: a failure rolls the whole transaction back anyway (it is never committed),
        // and each SAVEPOINT / RELEASE is a round trip on every saga hop.
        db.Database.AutoSavepointsEnabled = false;
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            await context.EnlistInOutboxAsync(new DatabaseEnvelopeTransaction(database, transaction.GetDbTransaction()));
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
        return new OutboxTransaction(db, context, database, transaction);
    }

    /// <summary>
    /// Saves the DbContext and commits; the caller (Wolverine's pipeline) sends the messages afterwards. A message being
    /// handled that sits in the durable inbox is marked handled in the same transaction (as Wolverine's own EF Core
    /// integration does), so Wolverine skips its separate update: one commit fewer per message.
    /// </summary>
    public async Task SaveAndCommitAsync(CancellationToken cancellationToken)
    {
        await _db.SaveChangesAsync(cancellationToken);
        var envelope = _context.Envelope;
        var markHandled = envelope is { WasPersistedInInbox: true } && envelope.Status != EnvelopeStatus.Handled;
        if (markHandled)
        {
            var keepUntil = DateTimeOffset.UtcNow.Add(_context.Runtime.Options.Durability.KeepAfterMessageHandling);
            await _database.MarkIncomingEnvelopeAsHandledInTransactionAsync(
                _db.Database.GetDbConnection(), _transaction.GetDbTransaction(), envelope!, keepUntil, cancellationToken);
        }
        await _transaction.CommitAsync(cancellationToken);
        _committed = true;
        if (markHandled)
        {
            envelope!.Status = EnvelopeStatus.Handled;
        }
    }

    /// <summary>Saves, commits, then hands the stored messages to the broker (for use outside a Wolverine handler).</summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await SaveAndCommitAsync(cancellationToken);
        await _context.FlushOutgoingMessagesAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (!_committed)
        {
            // Nothing stored may leave: forget the messages enqueued while the transaction was open.
            await _context.ClearAllAsync();
        }
        await _transaction.DisposeAsync();
    }
}
