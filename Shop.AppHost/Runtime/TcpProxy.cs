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
            using var both = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            var a = PumpAsync(client, upstream, both.Token);
            var b = PumpAsync(upstream, client, both.Token);
            await Task.WhenAny(a, b).ConfigureAwait(false);
            // One side finished sending: let the other finish too, then close both.
            await Task.WhenAll(a, b).WaitAsync(TimeSpan.FromSeconds(30), _stopping.Token).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
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

    private static async Task PumpAsync(Socket from, Socket to, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var n = await from.ReceiveAsync(buffer, SocketFlags.None, ct).ConfigureAwait(false);
                if (n == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }
                await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, ct).ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            // A reset or a stop ends this direction; the other is closed with the sockets.
            try { to.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        _stopping.Dispose();
    }
}
