using System.Net;
using System.Net.Sockets;
using Shop.AppHost.Runtime;

namespace Shop.Tests.Runtime;

/// <summary>
/// Ports for servers come from below the kernel's ephemeral range, where outgoing connections cannot take them between
/// the choice and the server's bind (a PostgreSQL that lost its port that way exited with "Address already in use").
/// </summary>
public sealed class PortAllocatorTests
{
    [Fact]
    public void Ports_are_free_distinct_and_below_the_ephemeral_range()
    {
        var (first, _) = PortAllocator.EphemeralRange();
        var ports = Enumerable.Range(0, 200).Select(_ => PortAllocator.GetFreePort()).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
        Assert.All(ports, port => Assert.InRange(port, 20_000, first - 1));
        Assert.All(ports, port => Assert.True(PortAllocator.IsFree(port), $"port {port} is taken"));
    }

    [Fact]
    public void The_ephemeral_range_is_the_kernels()
    {
        var text = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal((int.Parse(text[0]), int.Parse(text[1])), PortAllocator.EphemeralRange());
    }

    [Fact]
    public void A_port_someone_listens_on_is_not_free()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, PortAllocator.GetFreePort()));
        listener.Listen();

        Assert.False(PortAllocator.IsFree(((IPEndPoint)listener.LocalEndPoint!).Port));
    }
}
