using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Shop.AppHost.Servers;

/// <summary>Healthy when Redis answers AUTH + PING with PONG within 3 s (a plain RESP exchange, no client library).</summary>
internal sealed class RedisHealthCheck(RedisProcessResource server) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            await client.ConnectAsync("127.0.0.1", server.PrimaryEndpoint.Port, timeout.Token).ConfigureAwait(false);
            var stream = client.GetStream();
            var pw = await server.PasswordParameter.GetValueAsync(timeout.Token).ConfigureAwait(false) ?? "";
            var request = $"*2\r\n$4\r\nAUTH\r\n${Encoding.UTF8.GetByteCount(pw)}\r\n{pw}\r\n*1\r\n$4\r\nPING\r\n";
            await stream.WriteAsync(Encoding.UTF8.GetBytes(request), timeout.Token).ConfigureAwait(false);
            var buffer = new byte[256];
            var text = "";
            while (!text.Contains("PONG", StringComparison.Ordinal) && !text.Contains("-ERR", StringComparison.Ordinal) && !text.Contains("-WRONGPASS", StringComparison.Ordinal))
            {
                var n = await stream.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }
                text += Encoding.UTF8.GetString(buffer, 0, n);
            }
            return text.Contains("+PONG", StringComparison.Ordinal)
                ? HealthCheckResult.Healthy()
                : new HealthCheckResult(context.Registration.FailureStatus, $"unexpected reply: {text.Split('\r')[0]}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "no answer within 3 s");
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, ex.Message);
        }
    }
}
