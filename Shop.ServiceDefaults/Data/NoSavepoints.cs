using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Shop.ServiceDefaults.Data;

/// <summary>
/// EF Core opens a savepoint before a SaveChanges of several statements inside a transaction that is already open (a
/// message handler's, an endpoint's outbox transaction) and releases it afterwards: two round trips more, on every
/// such save, so that a failed save could be rolled back alone and the transaction carry on. Shop never carries on: a
/// failed save ends its transaction (Wolverine rolls the handler back and retries it whole; an endpoint disposes it).
/// So this turns them off, before each save, since a pooled context gets the setting back with every lease.
/// </summary>
public sealed class NoSavepoints : SaveChangesInterceptor
{
    public static readonly NoSavepoints Instance = new();

    private NoSavepoints()
    {
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Disable(eventData);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Disable(eventData);
        return ValueTask.FromResult(result);
    }

    private static void Disable(DbContextEventData eventData)
    {
        if (eventData.Context is { } context)
        {
            context.Database.AutoSavepointsEnabled = false;
        }
    }
}
