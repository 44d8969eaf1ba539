namespace Shop.ServiceDefaults.Messaging;

/// <summary>
/// A DbContext that wants to hear how the <see cref="OutboxTransaction"/> it took part in ended: for work that must
/// happen only once the handler's changes are stored (a metric that counts what was stored, not attempts that a retry
/// repeats).
/// </summary>
/// <remarks>
/// The outbox commits with a COMMIT of its own, sent in one command with the outbox and inbox rows, so EF Core's
/// transaction interceptors never see that commit; this is told about both ways a handler's transaction commits, and
/// about a transaction that ends without committing.
/// </remarks>
public interface ITransactionOutcomeListener
{
    void TransactionEnded(bool committed);
}
