using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Shop.AppHost.Runtime;

/// <summary>
/// Ports for servers and services, picked below the kernel's ephemeral range. A port the OS hands out for bind(0) comes
/// from that range, which is also where every outgoing connection takes its local port: between choosing the port and
/// the server binding it (PostgreSQL's initdb alone takes seconds) a connection could take it, and the server would
/// exit with "Address already in use". Below the range only another listener can, and that is checked.
/// </summary>
internal static class PortAllocator
{
    private const string EphemeralRangeFile = "/proc/sys/net/ipv4/ip_local_port_range";
    /// <summary>Above the well-known ports the AppHost itself listens on (dashboard 18888, OTLP 18889, gateway 5080).</summary>
    private const int LowestPort = 20_000;

    private static readonly Lock Gate = new();
    private static readonly HashSet<int> HandedOut = [];

    /// <summary>A port free on loopback now, outside the ephemeral range, and not handed out before by this process.</summary>
    public static int GetFreePort()
    {
        var (first, _) = EphemeralRange();
        lock (Gate)
        {
            if (first - LowestPort >= 1_000)
            {
                for (var attempt = 0; attempt < 200; attempt++)
                {
                    var port = Random.Shared.Next(LowestPort, first);
                    if (!HandedOut.Contains(port) && IsFree(port))
                    {
                        HandedOut.Add(port);
                        return port;
                    }
                }
            }
            // No room below the range (an unusual kernel setting): let the OS choose, as before.
            int chosen;
            do
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                chosen = ((IPEndPoint)socket.LocalEndPoint!).Port;
            }
            while (!HandedOut.Add(chosen));
            return chosen;
        }
    }

    /// <summary>The kernel's ephemeral port range (first, last); Linux's default when it cannot be read.</summary>
    public static (int First, int Last) EphemeralRange()
    {
        try
        {
            var parts = File.ReadAllText(EphemeralRangeFile).Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2
                && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var last))
            {
                return (first, last);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return (32_768, 60_999);
    }

    public static bool IsFree(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
