using System.Diagnostics;
using System.Reflection;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aspire.Hosting.Testing;

/// <summary>
/// Runs an AppHost's own entry point to capture its app model for a test, as Aspire.Hosting.Testing does: the
/// entry point runs on its own thread until it calls Build(); the test may change the builder, then BuildAsync
/// lets Build() finish and stops the entry point before Run(). The instance is isolated: no dashboard, free ports,
/// its own state directory, deleted on dispose.
/// </summary>
public static class DistributedApplicationTestingBuilder
{
    public static Task<IDistributedApplicationTestingBuilder> CreateAsync<TEntryPoint>(CancellationToken cancellationToken = default) where TEntryPoint : class
        => CreateAsync<TEntryPoint>([], (_, _) => { }, cancellationToken);

    public static Task<IDistributedApplicationTestingBuilder> CreateAsync<TEntryPoint>(string[] args, CancellationToken cancellationToken = default) where TEntryPoint : class
        => CreateAsync<TEntryPoint>(args, (_, _) => { }, cancellationToken);

    public static async Task<IDistributedApplicationTestingBuilder> CreateAsync<TEntryPoint>(string[] args,
        Action<DistributedApplicationOptions, HostApplicationBuilderSettings> configureBuilder, CancellationToken cancellationToken = default)
        where TEntryPoint : class
    {
        var entryPoint = typeof(TEntryPoint).Assembly.EntryPoint
            ?? throw new InvalidOperationException($"Assembly {typeof(TEntryPoint).Assembly.GetName().Name} has no entry point.");
        var run = new EntryPointRun(entryPoint, args, configureBuilder);
        run.Start();
        var builder = await run.Builder.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new TestingBuilder(builder, run);
    }

    /// <summary>An empty, isolated builder for a test that composes its own model.</summary>
    public static IDistributedApplicationTestingBuilder Create(params string[] args) => Create(args, (_, _) => { });

    /// <summary>As <see cref="Create(string[])"/>, and the test may change the defaults (e.g. turn the dashboard on).</summary>
    public static IDistributedApplicationTestingBuilder Create(string[] args, Action<DistributedApplicationOptions, HostApplicationBuilderSettings> configureBuilder)
    {
        var options = new DistributedApplicationOptions { Args = args };
        ApplyTestDefaults(options);
        configureBuilder(options, new HostApplicationBuilderSettings { Args = args });
        return new TestingBuilder(new DistributedApplicationBuilder(options), run: null);
    }

    internal static void ApplyTestDefaults(DistributedApplicationOptions options)
    {
        options.DisableDashboard = true;
        options.RandomizePorts = true;
        options.IsTesting = true;
        options.StateDirectory ??= Path.Combine(Path.GetTempPath(), $"shop-test-{Guid.NewGuid():N}"[..22]);
        options.DeleteStateOnDispose = true;
    }

    /// <summary>The AppHost's Main, on a thread of its own, observed through the "Aspire.Hosting" diagnostic events.</summary>
    private sealed class EntryPointRun(MethodInfo entryPoint, string[] args, Action<DistributedApplicationOptions, HostApplicationBuilderSettings> configure)
        : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
    {
        private readonly TaskCompletionSource<DistributedApplicationBuilder> _builder = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<DistributedApplication> _app = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<bool> _proceed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<IDisposable> _subscriptions = [];
        private int _threadId;

        public Task<DistributedApplicationBuilder> Builder => _builder.Task;

        public void Start()
        {
            _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
            var thread = new Thread(Run) { IsBackground = true, Name = "AppHost entry point" };
            _threadId = thread.ManagedThreadId;
            thread.Start();
        }

        private void Run()
        {
            try
            {
                entryPoint.Invoke(null, entryPoint.GetParameters().Length == 0 ? [] : [args]);
                Fail(new InvalidOperationException("The AppHost's entry point returned without building a DistributedApplication."));
            }
            catch (TargetInvocationException ex) when (ex.InnerException is StopEntryPointException)
            {
            }
            catch (TargetInvocationException ex)
            {
                Fail(ex.InnerException ?? ex);
            }
            finally
            {
                _subscriptions.ForEach(s => s.Dispose());
            }
        }

        private void Fail(Exception ex)
        {
            _builder.TrySetException(ex);
            _app.TrySetException(ex);
        }

        public Task<DistributedApplication> BuildAsync()
        {
            _proceed.TrySetResult(true);
            return _app.Task;
        }

        public void Abandon() => _proceed.TrySetResult(false);

        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == "Aspire.Hosting")
            {
                lock (_subscriptions)
                {
                    _subscriptions.Add(value.Subscribe(this));
                }
            }
        }

        public void OnNext(KeyValuePair<string, object?> evt)
        {
            if (Environment.CurrentManagedThreadId != _threadId)
            {
                return; // another test's AppHost
            }
            switch (evt.Key)
            {
                case "DistributedApplicationBuilderConstructing" when evt.Value is ValueTuple<DistributedApplicationOptions, HostApplicationBuilderSettings>(var options, var settings):
                    ApplyTestDefaults(options);
                    configure(options, settings);
                    break;
                case "DistributedApplicationBuilding" when evt.Value is DistributedApplicationBuilder b:
                    _builder.TrySetResult(b);
                    if (!_proceed.Task.GetAwaiter().GetResult())
                    {
                        throw new StopEntryPointException();
                    }
                    break;
                case "DistributedApplicationBuilt" when evt.Value is DistributedApplication app:
                    _app.TrySetResult(app);
                    throw new StopEntryPointException();
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }

    private sealed class StopEntryPointException : Exception;

    private sealed class TestingBuilder(DistributedApplicationBuilder inner, EntryPointRun? run) : IDistributedApplicationTestingBuilder, IDistributedApplicationOptionsAccessor
    {
        public ConfigurationManager Configuration => inner.Configuration;
        public IHostEnvironment Environment => inner.Environment;
        public IServiceCollection Services => inner.Services;
        public IResourceCollection Resources => inner.Resources;
        public DistributedApplicationExecutionContext ExecutionContext => inner.ExecutionContext;
        public string AppHostDirectory => inner.AppHostDirectory;
        public DistributedApplicationOptions Options => inner.Options;

        public IResourceBuilder<T> AddResource<T>(T resource) where T : IResource => inner.AddResource(resource);
        public IResourceBuilder<T> CreateResourceBuilder<T>(T resource) where T : IResource => inner.CreateResourceBuilder(resource);

        public DistributedApplication Build() => BuildAsync().GetAwaiter().GetResult();

        public Task<DistributedApplication> BuildAsync(CancellationToken cancellationToken = default)
            => run is null ? Task.FromResult(inner.Build()) : run.BuildAsync().WaitAsync(cancellationToken);

        public ValueTask DisposeAsync()
        {
            run?.Abandon();
            return ValueTask.CompletedTask;
        }
    }
}

public interface IDistributedApplicationTestingBuilder : IDistributedApplicationBuilder, IAsyncDisposable
{
    DistributedApplicationOptions Options { get; }
    Task<DistributedApplication> BuildAsync(CancellationToken cancellationToken = default);
}
