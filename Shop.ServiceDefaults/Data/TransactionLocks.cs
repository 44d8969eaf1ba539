using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Shop.ServiceDefaults.Data;

/// <summary>
/// A PostgreSQL advisory lock on a GUID key, held until the current transaction ends: work on the same key (an order,
/// in the services that keep one record per order) runs one piece after the other, and the second finds what the
/// first committed instead of failing on a key or doing the work twice.
/// </summary>
public static class TransactionLocks
{
    public static Task LockAsync(this DatabaseFacade database, Guid key, CancellationToken cancellationToken) =>
        database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({Key(key)})", cancellationToken);

    /// <summary>The GUID folded to the lock's 64-bit key (both halves XORed).</summary>
    public static long Key(Guid key)
    {
        Span<byte> bytes = stackalloc byte[16];
        key.TryWriteBytes(bytes);
        return BitConverter.ToInt64(bytes[..8]) ^ BitConverter.ToInt64(bytes[8..]);
    }
}
