using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;
using Wolverine.Persistence.Durability;
using Wolverine.RDBMS;
using Wolverine.Runtime;

namespace Shop.ServiceDefaults.Messaging;

/// <summary>
/// A database transaction that Wolverine's outbox writes into: messages sent or published while it is open are
/// stored in the same transaction as the DbContext's changes, and leave for the broker only after it commits.
/// </summary>
/// <remarks>
/// The outbox rows, the inbox record of the message being handled and the COMMIT itself go to PostgreSQL as one
/// command after SaveChanges: a saga hop costs the same round trips whether it sends one message or three.
/// </remarks>
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
    private readonly BufferedEnvelopeTransaction _envelopes;
    private bool _committed;
    private bool _disposed;

    private OutboxTransaction(DbContext db, MessageContext context, IMessageDatabase database,
        IDbContextTransaction transaction, BufferedEnvelopeTransaction envelopes)
    {
        _db = db;
        _context = context;
        _database = database;
        _transaction = transaction;
        _envelopes = envelopes;
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
        var envelopes = new BufferedEnvelopeTransaction(database, transaction.GetDbTransaction());
        try
        {
            await context.EnlistInOutboxAsync(envelopes);
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
        return new OutboxTransaction(db, context, database, transaction, envelopes);
    }

    /// <summary>
    /// Saves the DbContext and commits; the caller (Wolverine's pipeline) sends the messages afterwards. The message
    /// being handled is recorded in the inbox in the same transaction:
    /// <list type="bullet">
    /// <item>a delivery from the broker (handled inline, acknowledged after this commit) is inserted as handled. If a
    /// copy of it has committed first, the insert fails on the inbox's primary key, everything this handler did is
    /// rolled back, and Wolverine's PostgreSQL integration discards the copy (its rule for a key violation on the
    /// incoming table) instead of retrying it;</item>
    /// <item>a message from a durable local queue, stored in the inbox when it was enqueued, is marked handled.</item>
    /// </list>
    /// </summary>
    public async Task SaveAndCommitAsync(CancellationToken cancellationToken)
    {
        await _db.SaveChangesAsync(cancellationToken);

        var outgoing = _envelopes.Outgoing;
        var incoming = _envelopes.Incoming;
        var envelope = _context.Envelope;
        var durability = _context.Runtime.Options.Durability;
        var keepUntil = DateTimeOffset.UtcNow.Add(durability.KeepAfterMessageHandling);
        var inbox = envelope switch
        {
            null or { Status: EnvelopeStatus.Handled } => InboxRecord.None,
            { WasPersistedInInbox: true } when durability.MessageIdentity == MessageIdentity.IdOnly => InboxRecord.MarkHandled,
            // Inbox rows keyed by id and destination: Wolverine's own statement knows the key.
            { WasPersistedInInbox: true } => InboxRecord.MarkHandledSeparately,
            { Destination.Scheme: BrokerScheme } => InboxRecord.InsertHandled,
            _ => InboxRecord.None,
        };

        if (inbox == InboxRecord.MarkHandledSeparately)
        {
            await _database.MarkIncomingEnvelopeAsHandledInTransactionAsync(
                _db.Database.GetDbConnection(), _transaction.GetDbTransaction(), envelope!, keepUntil, cancellationToken);
        }

        if (outgoing.Count == 0 && incoming.Count == 0 && inbox is InboxRecord.None or InboxRecord.MarkHandledSeparately)
        {
            await _transaction.CommitAsync(cancellationToken);
        }
        else
        {
            await using var command = BuildCommitCommand(outgoing, incoming, envelope, inbox, keepUntil);
            await command.ExecuteNonQueryAsync(cancellationToken);
            // EF Core did not see the COMMIT: ending its transaction object now lets the context run further
            // queries (Npgsql refuses a command on a transaction that has completed).
            await _transaction.DisposeAsync();
        }

        _committed = true;
        foreach (var sent in outgoing)
        {
            sent.WasPersistedInOutbox = true;
        }
        if (inbox != InboxRecord.None)
        {
            envelope!.WasPersistedInInbox = true;
            envelope.Status = EnvelopeStatus.Handled;
        }
        (_db as ITransactionOutcomeListener)?.TransactionEnded(committed: true);
    }

    /// <summary>The URI scheme of envelopes that came from RabbitMQ.</summary>
    private const string BrokerScheme = "rabbitmq";

    private enum InboxRecord { None, InsertHandled, MarkHandled, MarkHandledSeparately }

    /// <summary>
    /// Saves and commits, then hands the stored messages to the broker without waiting for it (for use outside a
    /// Wolverine handler: an HTTP endpoint answers as soon as its transaction has committed; see
    /// <see cref="BackgroundSends"/>).
    /// </summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await SaveAndCommitAsync(cancellationToken);
        if (_context.Runtime.Services.GetService<BackgroundSends>() is { } sends)
        {
            sends.Start(_context.FlushOutgoingMessagesAsync);
        }
        else
        {
            await _context.FlushOutgoingMessagesAsync();
        }
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
            (_db as ITransactionOutcomeListener)?.TransactionEnded(committed: false);
        }
        await _transaction.DisposeAsync(); // idempotent: a batch commit has disposed it already
    }

    /// <summary>
    /// One command: the outbox inserts and the messages for durable local queues (Wolverine's own statements), the
    /// inbox record of the message being handled, then COMMIT. If any statement fails, PostgreSQL skips the rest,
    /// COMMIT included, and the transaction is rolled back on dispose.
    /// </summary>
    private DbCommand BuildCommitCommand(
        List<Envelope> outgoing, List<Envelope> incoming, Envelope? handled, InboxRecord inbox, DateTimeOffset keepUntil)
    {
        var command = outgoing.Count > 0
            ? DatabasePersistence.BuildOutgoingStorageCommand(
                outgoing.ToArray(), _context.Runtime.Options.Durability.AssignedNodeNumber, _database)
            : _db.Database.GetDbConnection().CreateCommand();
        if (incoming.Count > 0)
        {
            using var local = DatabasePersistence.BuildIncomingStorageCommand(incoming, _database);
            MoveStatements(local, command, prefix: "shop_in_");
        }
        var sql = new System.Text.StringBuilder(command.CommandText);
        var table = _database.TableNameFor(DatabaseConstants.IncomingTable);
        switch (inbox)
        {
            case InboxRecord.MarkHandled:
                sql.Append($"update {table} set {DatabaseConstants.Status} = '{EnvelopeStatus.Handled}', {DatabaseConstants.KeepUntil} = @shop_keep_until where id = @shop_handled_id;");
                break;
            case InboxRecord.InsertHandled:
                // Only the key and what an operator needs to read the row: a handled message's body is not kept.
                sql.Append($"insert into {table} ({DatabaseConstants.Id}, {DatabaseConstants.Status}, {DatabaseConstants.OwnerId}, {DatabaseConstants.Attempts}, {DatabaseConstants.Body}, {DatabaseConstants.MessageType}, {DatabaseConstants.ReceivedAt}, {DatabaseConstants.KeepUntil}) ");
                sql.Append($"values (@shop_handled_id, '{EnvelopeStatus.Handled}', 0, @shop_attempts, @shop_body, @shop_message_type, @shop_received_at, @shop_keep_until);");
                AddParameter(command, "shop_attempts", handled!.Attempts);
                AddParameter(command, "shop_body", Array.Empty<byte>());
                AddParameter(command, "shop_message_type", (object?)handled.MessageType ?? DBNull.Value);
                AddParameter(command, "shop_received_at", (object?)handled.Destination?.ToString() ?? DBNull.Value);
                break;
        }
        if (inbox is InboxRecord.MarkHandled or InboxRecord.InsertHandled)
        {
            AddParameter(command, "shop_keep_until", keepUntil);
            AddParameter(command, "shop_handled_id", handled!.Id);
        }
        sql.Append("commit;");
        command.CommandText = sql.ToString();
        command.Connection = _db.Database.GetDbConnection();
        command.Transaction = _transaction.GetDbTransaction();
        return command;
    }

    /// <summary>
    /// Appends <paramref name="source"/>'s statements to <paramref name="target"/>'s. Both come from Wolverine's command
    /// builder, which names parameters from the same sequence, so the moved ones are renamed.
    /// </summary>
    private static void MoveStatements(DbCommand source, DbCommand target, string prefix)
    {
        var text = source.CommandText;
        var parameters = source.Parameters.Cast<DbParameter>().ToList();
        source.Parameters.Clear();
        // Longest names first, so that renaming p1 does not touch p10.
        foreach (var parameter in parameters.OrderByDescending(p => p.ParameterName.Length))
        {
            var renamed = prefix + parameter.ParameterName;
            text = System.Text.RegularExpressions.Regex.Replace(text, $@"[@:]{System.Text.RegularExpressions.Regex.Escape(parameter.ParameterName)}\b", "@" + renamed);
            parameter.ParameterName = renamed;
        }
        foreach (var parameter in parameters)
        {
            target.Parameters.Add(parameter);
        }
        target.CommandText += text;
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>
    /// Wolverine's view of the transaction: outgoing envelopes and messages for durable local queues are collected for
    /// the commit command; an eager idempotency check is written at once, as Wolverine's own transaction does, since
    /// its answer is needed there and then.
    /// </summary>
    private sealed class BufferedEnvelopeTransaction(IMessageDatabase database, DbTransaction transaction) : IEnvelopeTransaction
    {
        private readonly DatabaseEnvelopeTransaction _immediate = new(database, transaction);

        public List<Envelope> Outgoing { get; } = [];

        public Task PersistOutgoingAsync(Envelope envelope)
        {
            Outgoing.Add(envelope);
            return Task.CompletedTask;
        }

        public Task PersistOutgoingAsync(Envelope[] envelopes)
        {
            Outgoing.AddRange(envelopes);
            return Task.CompletedTask;
        }

        public List<Envelope> Incoming { get; } = [];

        public Task PersistIncomingAsync(Envelope envelope)
        {
            Incoming.Add(envelope);
            return Task.CompletedTask;
        }

        public Task<bool> TryMakeEagerIdempotencyCheckAsync(Envelope envelope, DurabilitySettings settings, CancellationToken cancellation) =>
            _immediate.TryMakeEagerIdempotencyCheckAsync(envelope, settings, cancellation);

        public ValueTask RollbackAsync() => _immediate.RollbackAsync();
    }
}
