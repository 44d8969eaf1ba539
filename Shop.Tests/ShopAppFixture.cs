using Microsoft.Extensions.DependencyInjection;
using Xunit.Sdk;

[assembly: AssemblyFixture(typeof(Shop.Tests.ShopAppFixture))]

namespace Shop.Tests;

/// <summary>
/// The whole system, started once per test run from the AppHost's own entry point, as Aspire.Hosting.Testing does:
/// isolated (free ports, its own state directory, no dashboard), so it runs beside a developer's instance.
/// </summary>
public sealed class ShopAppFixture : IAsyncLifetime
{
    /// <summary>The first run on a fresh machine installs PostgreSQL, RabbitMQ and Redis from Debian packages.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(6);

    public static readonly string[] AllResources =
        ["postgres", "identitydb", "catalogdb", "inventorydb", "messaging", "cache", "identity", "inventory", "catalog", "gateway", "notificationdb", "notification", "paymentdb", "shippingdb", "payment", "shipping", "orderingdb", "ordering"];

    /// <summary>This run's servers keep their data here, apart from a developer's instance; deleted after the run.</summary>
    private readonly string _stateDirectory = TestState.NewDirectory();

    /// <summary>Low enough for a test to exceed with one user, high enough that no other test comes near it.</summary>
    public const int UserPermitLimit = 30;
    public const int RateLimitWindowSeconds = 4;

    /// <summary>How long a saga step may take in the test run: long enough for a busy 2-core machine, short enough to test.</summary>
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(8);

    /// <summary>A card whose charge takes longer than <see cref="StepTimeout"/>.</summary>
    public const string SlowPaymentToken = "tok_slow";

    public static readonly TimeSpan SlowPaymentLatency = TimeSpan.FromSeconds(14);

    /// <summary>The dashboard's login token and telemetry API key for this run.</summary>
    public string DashboardToken { get; } = Guid.NewGuid().ToString("N");

    public string DashboardApiKey { get; } = Guid.NewGuid().ToString("N");

    private DistributedApplication? _app;

    /// <summary>The Aspire dashboard's address (its port is random in a test run).</summary>
    public string DashboardUrl => App.GetEndpoint("aspire-dashboard", "http").ToString().TrimEnd('/');

    /// <summary>The link a user opens to sign in, as the AppHost prints it.</summary>
    public string DashboardLoginUrl => $"{DashboardUrl}/login?t={DashboardToken}";

    /// <summary>A client of the dashboard's telemetry API (/api/telemetry), with this run's key.</summary>
    public HttpClient DashboardApi()
    {
        var client = new HttpClient { BaseAddress = new Uri(DashboardUrl), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("x-api-key", DashboardApiKey);
        return client;
    }

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The app did not start.");

    public HttpClient Gateway { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        using var cts = new CancellationTokenSource(StartTimeout);
        // The Aspire dashboard runs as it does for a developer (the testing builder turns it off by default): the
        // services export their telemetry to it, and the telemetry and dashboard tests read it back.
        string[] args = [.. TestState.Args(_stateDirectory), $"--ASPIRE_DASHBOARD_FRONTEND_BROWSERTOKEN={DashboardToken}", $"--AppHost:DashboardApiKey={DashboardApiKey}"];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Shop_AppHost>(args, (options, _) => options.DisableDashboard = false, cts.Token);
        builder.WithQuietLogs();
        var gateway = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "gateway");
        builder.CreateResourceBuilder(gateway)
            .WithEnvironment("RateLimiting__UserPermitLimit", UserPermitLimit.ToString(global::System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("RateLimiting__WindowSeconds", RateLimitWindowSeconds.ToString(global::System.Globalization.CultureInfo.InvariantCulture));
        // The saga's failure knobs for this run: a short step deadline, and a card ("tok_slow") whose charge outlasts it.
        builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "ordering"))
            .WithEnvironment("Ordering__Saga__StepTimeout", StepTimeout.ToString("c", global::System.Globalization.CultureInfo.InvariantCulture));
        builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "payment"))
            .WithEnvironment("Payment__Provider__SlowTokens__0", SlowPaymentToken)
            .WithEnvironment("Payment__Provider__SlowLatencyMs", ((int)SlowPaymentLatency.TotalMilliseconds).ToString(global::System.Globalization.CultureInfo.InvariantCulture));
        _app = await builder.BuildAsync(cts.Token).WaitAsync(TimeSpan.FromSeconds(120), cts.Token);
        await _app.StartAsync(cts.Token);
        try
        {
            await Task.WhenAll(AllResources.Select(r => _app.ResourceNotifications.WaitForResourceHealthyAsync(r, cts.Token)));
        }
        catch (Exception ex) when (ex is OperationCanceledException or DistributedApplicationException)
        {
            var states = string.Join(Environment.NewLine, (await _app.SnapshotsAsync(CancellationToken.None))
                .Select(e => $"  {e.ResourceId}: {e.Snapshot.State?.Text} {e.Snapshot.HealthStatus} exit code {e.Snapshot.ExitCode}"));
            throw new XunitException($"The system did not become healthy within {StartTimeout}:{Environment.NewLine}{states}", ex);
        }
        Gateway = _app.CreateHttpClient("gateway");
    }

    public async ValueTask DisposeAsync()
    {
        Gateway?.Dispose();
        if (_app is null)
        {
            TestState.Delete(_stateDirectory);
            return;
        }
        string? unbalanced;
        try
        {
            // After every test: the money and the stock the suite moved must add up.
            unbalanced = await Ordering.BooksBalance.CheckAsync(_app, CancellationToken.None);
        }
        finally
        {
            await _app.DisposeAsync();
            TestState.Delete(_stateDirectory);
        }
        if (unbalanced is not null)
        {
            throw new XunitException(unbalanced);
        }
    }
}
