using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Google.Protobuf;

namespace Shop.AppHost.Dashboard.Otlp;

/// <summary>
/// One instance of each text that keeps coming back (attribute keys, routes, scope and span names, message templates,
/// repeated stack traces, histogram bounds). The protobuf parser makes a new string per occurrence; the store keeps
/// tens of thousands of items per resource, so without this most of its memory would be copies of the same few
/// hundred strings. A text is shared from its second sighting on (a hash "doorkeeper" keeps one-off values such as
/// ids out of the table), and the table is bounded: when full it starts over, which only costs some sharing.
/// </summary>
internal static class TelemetryStrings
{
    private const int MaxEntries = 64 * 1024;
    private const int MaxShareableLength = 16 * 1024;
    private const int DoorkeeperSlots = 1 << 16;

    private static readonly int[] Seen = new int[DoorkeeperSlots];
    private static ConcurrentDictionary<string, string> _shared = new(StringComparer.Ordinal);
    private static int _count;

    private static ConcurrentDictionary<BoundsKey, double[]> _bounds = new();
    private static int _boundsCount;

    public static string Share(string value)
    {
        if (value.Length == 0)
        {
            return "";
        }
        if (value.Length > MaxShareableLength)
        {
            return value;
        }
        var shared = _shared;
        if (shared.TryGetValue(value, out var existing))
        {
            return existing;
        }
        var hash = value.GetHashCode(StringComparison.Ordinal);
        ref var slot = ref Seen[hash & (DoorkeeperSlots - 1)];
        if (Volatile.Read(ref slot) != hash)
        {
            Volatile.Write(ref slot, hash); // first sighting: remember it, share from the next one
            return value;
        }
        if (Interlocked.Increment(ref _count) > MaxEntries)
        {
            _shared = shared = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
            Volatile.Write(ref _count, 0);
        }
        return shared.GetOrAdd(value, value);
    }

    /// <summary>Histogram bucket bounds: the same few arrays for every point of an instrument.</summary>
    public static IReadOnlyList<double> ShareBounds(Google.Protobuf.Collections.RepeatedField<double> bounds)
    {
        if (bounds.Count == 0)
        {
            return [];
        }
        var array = bounds.ToArray();
        var key = new BoundsKey(array);
        var cache = _bounds;
        if (cache.TryGetValue(key, out var existing))
        {
            return existing;
        }
        if (Interlocked.Increment(ref _boundsCount) > 1024)
        {
            _bounds = cache = new ConcurrentDictionary<BoundsKey, double[]>();
            Volatile.Write(ref _boundsCount, 0);
        }
        return cache.GetOrAdd(key, array);
    }

    private readonly struct BoundsKey(double[] values) : IEquatable<BoundsKey>
    {
        private readonly double[] _values = values;

        public bool Equals(BoundsKey other) => _values.AsSpan().SequenceEqual(other._values);

        public override bool Equals(object? obj) => obj is BoundsKey other && Equals(other);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            hash.AddBytes(MemoryMarshal.AsBytes(_values.AsSpan()));
            return hash.ToHashCode();
        }
    }
}

/// <summary>
/// Trace and span ids as hex, one string per id while it is recent: a trace's spans arrive in several batches from
/// several services, its logs carry the same trace id, and children name their parent. A direct-mapped table (one
/// entry per slot, the newer id wins) keeps this bounded and lock-free.
/// </summary>
internal static class IdStrings
{
    private const int Slots = 1 << 15;

    private static readonly Entry?[] Recent = new Entry?[Slots];

    public static string Hex(ByteString id)
    {
        var bytes = id.Span;
        if (bytes.Length is not (8 or 16))
        {
            return Convert.ToHexStringLower(bytes);
        }
        var high = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var low = bytes.Length == 16 ? BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]) : 0;
        var slot = (int)((high ^ (low * 0x9E3779B97F4A7C15UL) ^ (ulong)bytes.Length) & (Slots - 1));
        var entry = Volatile.Read(ref Recent[slot]);
        if (entry is not null && entry.High == high && entry.Low == low && entry.Length == bytes.Length)
        {
            return entry.Hex;
        }
        var hex = Convert.ToHexStringLower(bytes);
        Volatile.Write(ref Recent[slot], new Entry(high, low, bytes.Length, hex));
        return hex;
    }

    private sealed record Entry(ulong High, ulong Low, int Length, string Hex);
}
