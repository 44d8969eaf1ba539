using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Shop.Tests.Dashboard;

/// <summary>A small app model of its own, with the dashboard on: stopping a service must not pull the floor from under the shared system's tests.</summary>
public sealed class DashboardCommandApp : IAsyncLifetime
{
    public DistributedApplication App { get; private set; } = null!;

    public string LoginUrl => App.Services.GetRequiredService<Shop.AppHost.Runtime.Orchestrator>().DashboardLoginUrl
        ?? throw new InvalidOperationException("The dashboard is not running.");

    public async ValueTask InitializeAsync()
    {
        var builder = DistributedApplicationTestingBuilder.Create([], (options, _) => options.DisableDashboard = false);
        var postgres = builder.AddPostgres("postgres");
        var messaging = builder.AddRabbitMQ("messaging");
        builder.AddProject<Projects.Identity>("identity")
            .WithReference(postgres.AddDatabase("identitydb")).WithReference(messaging).WaitFor(messaging)
            .WithEnvironment("Identity__AdminEmail", "admin@shop.local")
            .WithEnvironment("Identity__AdminPassword", builder.AddGeneratedParameter("admin-password")).WithHttpHealthCheck("/health");
        App = await builder.BuildAsync();
        await App.StartAsync();
        await App.ResourceNotifications.WaitForResourceHealthyAsync("identity").WaitAsync(ShopAppFixture.StartTimeout);
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}

public sealed class DashboardCommandTests(DashboardCommandApp app, DashboardBrowser browser) : IClassFixture<DashboardCommandApp>, IClassFixture<DashboardBrowser>
{
    private static readonly TimeSpan StateDeadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task stop_then_start_from_the_resources_page_brings_the_service_back_healthy()
    {
        var page = await browser.LoginAsync(app.LoginUrl);
        var row = DashboardPageTests.ResourceRow(page, "identity");
        await Expect(row.GetByText("Healthy", new() { Exact = true })).ToBeVisibleAsync(new() { Timeout = (float)StateDeadline.TotalMilliseconds });
        var pidBefore = ProcessId(app.App);
        var errors = app.App.Services.GetRequiredService<Shop.AppHost.Dashboard.Telemetry.TelemetryRepository>()
            .GetLogs(new() { MinSeverity = Shop.AppHost.Dashboard.Telemetry.LogSeverity.Error }).Entries;
        Assert.True(errors.Count == 0, string.Join("\n", errors.Take(5).Select(e => $"{e.Source.Resource} {e.Category}: {e.Message} {string.Join(",", e.Attributes)}")));

        await row.GetByRole(AriaRole.Button, new() { Name = "Stop identity", Exact = true }).ClickAsync();
        await Expect(row.GetByText(new global::System.Text.RegularExpressions.Regex("^Exited"))).ToBeVisibleAsync(new() { Timeout = (float)StateDeadline.TotalMilliseconds });
        Assert.Equal(KnownResourceStates.Exited, app.App.ResourceNotifications.GetSnapshots().Single(s => s.Name == "identity").State);
        Assert.False(IsAlive(pidBefore), $"identity's process {pidBefore} still runs after Stop");
        await DashboardBrowser.ScreenshotAsync(page, "resource-stopped");

        await row.GetByRole(AriaRole.Button, new() { Name = "Start identity", Exact = true }).ClickAsync();
        await Expect(row.GetByText("Running", new() { Exact = true })).ToBeVisibleAsync(new() { Timeout = (float)StateDeadline.TotalMilliseconds });
        await Expect(row.GetByText("Healthy", new() { Exact = true })).ToBeVisibleAsync(new() { Timeout = (float)StateDeadline.TotalMilliseconds });
        Assert.NotEqual(pidBefore, ProcessId(app.App));
        await DashboardBrowser.ScreenshotAsync(page, "resource-restarted");
        await page.Context.CloseAsync();
    }

    private static int ProcessId(DistributedApplication app)
        => app.Services.GetRequiredService<Shop.AppHost.Runtime.Orchestrator>().ProcessIdsOf("identity").Single();

    private static bool IsAlive(int pid)
    {
        try
        {
            using var p = global::System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
