using System.Runtime.InteropServices;
using Shop.ServiceDefaults.Hosting;

namespace Shop.Tests.Defaults;

/// <summary>
/// What the native-memory trimmer is for: memory freed in the middle of glibc's heap stays resident until
/// <c>malloc_trim</c> hands it back.
/// </summary>
public sealed class NativeMemoryTrimmerTests
{
    private const int BlockSize = 4096;
    private const int Blocks = 16_384; // 64 MB

    [Fact]
    public void Freed_native_memory_is_returned_to_the_operating_system()
    {
        Assert.True(OperatingSystem.IsLinux(), "Shop runs its services on Linux");
        var blocks = new IntPtr[Blocks];
        for (var i = 0; i < Blocks; i++)
        {
            blocks[i] = Marshal.AllocHGlobal(BlockSize);
            Marshal.Copy(new byte[BlockSize], 0, blocks[i], BlockSize);
        }

        // A block allocated after the others keeps them from being the heap's end, which glibc trims on its own.
        var fence = Marshal.AllocHGlobal(BlockSize);
        try
        {
            var allocated = ResidentBytes();
            foreach (var block in blocks)
            {
                Marshal.FreeHGlobal(block);
            }

            var freed = ResidentBytes();
            Assert.True(allocated - freed < 16 << 20,
                $"freeing alone returned {(allocated - freed) >> 20} MB, so this test would show nothing");

            Assert.True(NativeMemoryTrimmer.TryTrim());

            var trimmed = ResidentBytes();
            Assert.True(freed - trimmed > 32 << 20,
                $"the trim returned {(freed - trimmed) >> 20} MB of the 64 MB freed");
        }
        finally
        {
            Marshal.FreeHGlobal(fence);
        }
    }

    private static long ResidentBytes()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }
}
