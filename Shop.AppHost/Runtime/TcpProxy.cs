using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Shop.AppHost.Runtime;

/// <summary>
/// The stable address of one endpoint, as Aspire's proxy: it listens on the endpoint's port and forwards each
/// connection to a live replica, round-robin, trying the next replica when one refuses. Restarted or replicated
/// processes change their own ports; their clients never notice.
/// </summary>
internal sealed class TcpProxy : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private ImmutableArray<IPEndPoint> _targets = [];
    private int _next;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(Socket, Socket), byte> _open = new();
    private Task _acceptLoop = Task.CompletedTask;

    public TcpProxy(int port, ILogger logger)
    {
        _logger = logger;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            _listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            _listener.Dispose();
            throw new InvalidOperationException($"Port {port} on 127.0.0.1 is already in use (is another instance running?).", ex);
        }
        _listener.Listen(512);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
    }

    public int Port { get; }

    public void SetTargets(IEnumerable<int> ports) => _targets = [.. ports.Select(p => new IPEndPoint(IPAddress.Loopback, p))];

    public void Start() => _acceptLoop = AcceptLoopAsync();

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException ex)
            {
                _logger.LogDebug(ex, "Accept failed on port {Port}", Port);
                continue;
            }
            _ = HandleAsync(client);
        }
    }

    private async Task HandleAsync(Socket client)
    {
        using (client)
        {
            client.NoDelay = true;
            using var upstream = await ConnectAsync().ConfigureAwait(false);
            if (upstream is null)
            {
                return; // No replica answers: the client sees the connection close, as with a stopped server.
            }
            var pair = (client, upstream);
            _open.TryAdd(pair, 0);
            try
            {
                var a = PumpAsync(client, upstream);
                var b = PumpAsync(upstream, client);
                await Task.WhenAny(a, b).ConfigureAwait(false);
                // One side finished sending: let the other finish too (bounded), then close both.
                await Task.WhenAny(Task.WhenAll(a, b), Task.Delay(TimeSpan.FromSeconds(30))).ConfigureAwait(false);
            }
            finally
            {
                _open.TryRemove(pair, out _);
            }
        }
    }

    private async Task<Socket?> ConnectAsync()
    {
        var targets = _targets;
        for (var i = 0; i < targets.Length; i++)
        {
            var target = targets[(int)((uint)Interlocked.Increment(ref _next) % (uint)targets.Length)];
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(target, _stopping.Token).ConfigureAwait(false);
                return socket;
            }
            catch (Exception)
            {
                socket.Dispose();
            }
        }
        return null;
    }

    // No cancellation token on the hot path: registering one per receive and send costs more than the copy itself.
    // Stopping closes the sockets instead, which ends both pumps.
    private static async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (true)
            {
                var n = await from.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).ConfigureAwait(false);
                if (n == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }
                await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None).ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            // A reset or a stop ends this direction; the other is closed with the sockets.
            try { to.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        foreach (var (client, upstream) in _open.Keys)
        {
            client.Dispose();
            upstream.Dispose();
        }
        await _acceptLoop.ConfigureAwait(false);
        _stopping.Dispose();
    }
}
