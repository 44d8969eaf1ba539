using Shop.AppHost.Dashboard.Telemetry;
using System.Diagnostics;
using System.Reflection;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shop.AppHost.Runtime;

namespace Aspire.Hosting;

public sealed class DistributedApplicationBuilder : IDistributedApplicationBuilder, IDistributedApplicationOptionsAccessor
{
    /// <summary>Aspire.Hosting.Testing listens here to take over the entry point; so does ours.</summary>
    internal static readonly DiagnosticListener Diagnostics = new("Aspire.Hosting");

    private readonly HostApplicationBuilder _inner;
    private readonly ResourceCollection _resources = new();

    public DistributedApplicationBuilder(DistributedApplicationOptions options)
    {
        var settings = new HostApplicationBuilderSettings
        {
            Args = options.Args,
            EnvironmentName = System.Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environments.Development,
            ContentRootPath = AppContext.BaseDirectory,
        };
        if (Diagnostics.IsEnabled("DistributedApplicationBuilderConstructing"))
        {
            Diagnostics.Write("DistributedApplicationBuilderConstructing", (options, settings));
        }
        Options = options;
        _inner = new HostApplicationBuilder(settings);
        AppHostDirectory = ProjectLocator.FindAppHostDirectory(Assembly.GetEntryAssembly());
        ExecutionContext = new DistributedApplicationExecutionContext(
            _inner.Configuration["Publisher"] is { Length: > 0 } || options.Args.Contains("--publisher")
                ? DistributedApplicationOperation.Publish
                : DistributedApplicationOperation.Run);
        _inner.Logging.ClearProviders();
        _inner.Logging.AddConsole(o => o.FormatterName = AppHostConsoleFormatter.FormatterName)
            .AddConsoleFormatter<AppHostConsoleFormatter, Microsoft.Extensions.Logging.Console.ConsoleFormatterOptions>();
        _inner.Logging.AddFilter("Microsoft", LogLevel.Warning).AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        _inner.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
    }

    public DistributedApplicationOptions Options { get; }
    public ConfigurationManager Configuration => _inner.Configuration;
    public IHostEnvironment Environment => _inner.Environment;
    public IServiceCollection Services => _inner.Services;
    public IResourceCollection Resources => _resources;
    public DistributedApplicationExecutionContext ExecutionContext { get; }
    public string AppHostDirectory { get; }

    public static IDistributedApplicationBuilder CreateBuilder(string[] args) => new DistributedApplicationBuilder(new DistributedApplicationOptions { Args = args });

    public IResourceBuilder<T> AddResource<T>(T resource) where T : IResource
    {
        _resources.Add(resource);
        return CreateResourceBuilder(resource);
    }

    public IResourceBuilder<T> CreateResourceBuilder<T>(T resource) where T : IResource => new ResourceBuilder<T>(this, resource);

    public DistributedApplication Build()
    {
        if (Diagnostics.IsEnabled("DistributedApplicationBuilding"))
        {
            Diagnostics.Write("DistributedApplicationBuilding", this);
        }
        // A cycle in WaitFor would hang start-up: refuse the model now, naming the cycle.
        var plan = StartupPlan.Create(_resources);
        Services.AddSingleton(Options);
        Services.AddSingleton(ExecutionContext);
        Services.AddSingleton(plan);
        Services.AddSingleton<IResourceCollection>(_resources);
        Services.AddSingleton(new ResourceNotificationService());
        Services.AddSingleton(new ResourceLoggerService());
        // The dashboard's telemetry store lives as long as the AppHost, so tests can read what the services exported.
        Services.AddSingleton(new TelemetryRepository(Configuration.GetSection("Dashboard:TelemetryLimits").Get<TelemetryLimits>() ?? new TelemetryLimits()));
        Services.AddSingleton(sp => RuntimeOptions.From(Options, Configuration, AppHostDirectory, Environment));
        Services.AddSingleton<Orchestrator>();
        Services.AddHostedService(sp => sp.GetRequiredService<Orchestrator>());
        Services.AddSingleton(sp => new ResourceCommandService(sp.GetRequiredService<Orchestrator>()));
        var app = new DistributedApplication(_inner.Build());
        if (Diagnostics.IsEnabled("DistributedApplicationBuilt"))
        {
            Diagnostics.Write("DistributedApplicationBuilt", app);
        }
        return app;
    }
}
