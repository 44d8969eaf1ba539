using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aspire.Hosting;

/// <summary>The running app model: starts every resource, and stops them in reverse order on Ctrl+C or dispose.</summary>
public sealed class DistributedApplication : IHost, IAsyncDisposable
{
    private readonly IHost _host;
    private int _disposed;

    internal DistributedApplication(IHost host) => _host = host;

    public static IDistributedApplicationBuilder CreateBuilder(string[] args) => DistributedApplicationBuilder.CreateBuilder(args);

    public static IDistributedApplicationBuilder CreateBuilder(DistributedApplicationOptions options) => new DistributedApplicationBuilder(options);

    public IServiceProvider Services => _host.Services;

    public ResourceNotificationService ResourceNotifications => Services.GetRequiredService<ResourceNotificationService>();

    public ResourceLoggerService ResourceLogs => Services.GetRequiredService<ResourceLoggerService>();

    public ResourceCommandService ResourceCommands => Services.GetRequiredService<ResourceCommandService>();

    public Task StartAsync(CancellationToken cancellationToken = default) => _host.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken = default) => _host.StopAsync(cancellationToken);

    public void Run() => RunAsync().GetAwaiter().GetResult();

    public Task RunAsync(CancellationToken cancellationToken = default) => _host.RunAsync(cancellationToken);

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        try
        {
            await _host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            if (_host is IAsyncDisposable ad)
            {
                await ad.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                _host.Dispose();
            }
        }
    }
}
