using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Shop.Payment.Data;

/// <summary>
/// Tells a <see cref="PaymentDbContext"/> how its transactions end, for <see cref="PaymentDbContext.AfterCommit"/>.
/// Wolverine commits a handler's transaction through EF Core, so these events see it.
/// </summary>
public sealed class TransactionOutcomes : DbTransactionInterceptor
{
    public static readonly TransactionOutcomes Instance = new();

    private TransactionOutcomes()
    {
    }

    public override DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        Ended(eventData, committed: false);
        return result;
    }

    public override ValueTask<DbTransaction> TransactionStartedAsync(
        DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(TransactionStarted(connection, eventData, result));

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) =>
        Ended(eventData, committed: true);

    public override Task TransactionCommittedAsync(
        DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) =>
        EndedAsync(eventData, committed: true);

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) =>
        Ended(eventData, committed: false);

    public override Task TransactionRolledBackAsync(
        DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) =>
        EndedAsync(eventData, committed: false);

    private static Task EndedAsync(TransactionEndEventData eventData, bool committed)
    {
        Ended(eventData, committed);
        return Task.CompletedTask;
    }

    // Started: whatever an earlier transaction of this context left (one that failed to commit) is dropped.
    private static void Ended(TransactionEndEventData eventData, bool committed) =>
        (eventData.Context as PaymentDbContext)?.TransactionEnded(committed);
}
