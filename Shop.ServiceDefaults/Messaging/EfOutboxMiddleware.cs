using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Wolverine;

namespace Shop.ServiceDefaults.Messaging;

/// <summary>
/// Wolverine middleware around every handler of a service: the handler's EF Core changes, the messages it returns
/// (Wolverine enqueues cascading messages before the postprocessors run) and anything it sends are committed in one
/// PostgreSQL transaction, and sent only after that commit. Written while the package feed lacked
/// WolverineFx.EntityFrameworkCore; it is served now (6.64.2) and its transactional middleware is to replace this.
/// </summary>
public static class EfOutboxMiddleware<TDbContext> where TDbContext : DbContext
{
    public static Task<OutboxTransaction> BeforeAsync(TDbContext db, IMessageContext context, CancellationToken cancellationToken)
    {
        // A delivery handled inline runs in Wolverine's one consumer span, named just "receive"; name it after the
        // message, as the durable path's handling span is, so a trace's waterfall says what each hop was.
        if (Activity.Current is { Source.Name: WolverineSource, OperationName: "receive" } receive
            && context.Envelope?.MessageType is { } messageType)
        {
            receive.DisplayName = $"receive {messageType}";
        }
        return OutboxTransaction.BeginAsync(db, context, cancellationToken);
    }

    private const string WolverineSource = "Wolverine";

    public static Task AfterAsync(OutboxTransaction outbox, CancellationToken cancellationToken) =>
        outbox.SaveAndCommitAsync(cancellationToken);

    // No Finally: the generated code disposes the OutboxTransaction (await using), rolling back when After never ran.
}
