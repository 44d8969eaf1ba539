using System.Net.Sockets;
using System.Text;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Shop.AppHost.Runtime.Servers;

/// <summary>A private Redis: a cache, so nothing is persisted; the password is in an owner-only config file, not on the command line.</summary>
internal sealed class RedisRunner(RedisResource resource, RunnerContext context) : ResourceRunner(resource, context)
{
    private const string Binary = "/usr/bin/redis-server";
    private ManagedProcess? _process;

    public override IEnumerable<int> ProcessIds => _process is { } p ? [p.ProcessId] : [];

    public override void AllocateEndpoints()
    {
        var ep = resource.PrimaryEndpoint.Endpoint;
        ep.AllocatedEndpoint = new AllocatedEndpoint(ep, "127.0.0.1", AllocatePort(ep, Context.Options.RandomizePorts));
    }

    public override async Task StartAsync(CancellationToken ct)
    {
        await Context.Installer.EnsureAsync("redis-server", () => File.Exists(Binary), Progress, ct).ConfigureAwait(false);
        var dir = CreatePrivateDirectory(Name);
        var conf = Path.Combine(dir, "redis.conf");
        var text = new StringBuilder()
            .AppendLine("bind 127.0.0.1")
            .AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"port {resource.PrimaryEndpoint.Port}")
            .AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"dir {dir}")
            .AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"requirepass {resource.PasswordParameter.Value}")
            .AppendLine("save \"\"")
            .AppendLine("appendonly no")
            .AppendLine("daemonize no")
            .AppendLine("protected-mode yes")
            .ToString();
        File.WriteAllText(conf, "");
        File.SetUnixFileMode(conf, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await File.WriteAllTextAsync(conf, text, ct).ConfigureAwait(false);
        _process = StartProcess(Binary, [conf], new Dictionary<string, string?>(), dir);
        WatchForExit(_process, "redis-server");
    }

    public override Func<CancellationToken, Task<HealthCheckResult>> HealthCheck => async ct =>
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            await client.ConnectAsync("127.0.0.1", resource.PrimaryEndpoint.Port, timeout.Token).ConfigureAwait(false);
            var stream = client.GetStream();
            var pw = resource.PasswordParameter.Value;
            var request = $"*2\r\n$4\r\nAUTH\r\n${Encoding.UTF8.GetByteCount(pw)}\r\n{pw}\r\n*1\r\n$4\r\nPING\r\n";
            await stream.WriteAsync(Encoding.UTF8.GetBytes(request), timeout.Token).ConfigureAwait(false);
            var buffer = new byte[256];
            var text = "";
            while (!text.Contains("PONG", StringComparison.Ordinal) && !text.Contains("-ERR", StringComparison.Ordinal) && !text.Contains("-WRONGPASS", StringComparison.Ordinal))
            {
                var n = await stream.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
                if (n == 0) { break; }
                text += Encoding.UTF8.GetString(buffer, 0, n);
            }
            return text.Contains("+PONG", StringComparison.Ordinal)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"unexpected reply: {text.Split('\r')[0]}");
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy(ex.Message);
        }
    };

    public override async Task StopAsync()
    {
        if (_process is { } p)
        {
            await p.StopAsync(ManagedProcess.SIGTERM, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
    }
}
