using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Shop.ServiceDefaults.Data;

/// <summary>
/// A PostgreSQL advisory lock per order, held until the current transaction ends: two handlers working on the same
/// order at once (a redelivered command, two events of one order that overtook each other) run one after the other,
/// and the second finds what the first committed instead of failing on a key or doing the work twice.
/// </summary>
public static class OrderLocks
{
    public static Task LockOrderAsync(this DatabaseFacade database, Guid orderId, CancellationToken cancellationToken) =>
        database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({Key(orderId)})", cancellationToken);

    /// <summary>The order id folded to the lock's 64-bit key (both halves XORed).</summary>
    public static long Key(Guid orderId)
    {
        Span<byte> bytes = stackalloc byte[16];
        orderId.TryWriteBytes(bytes);
        return BitConverter.ToInt64(bytes[..8]) ^ BitConverter.ToInt64(bytes[8..]);
    }
}
