using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;

namespace Shop.Tests.Dashboard;

/// <summary>
/// One headless Debian Chromium per test class, driven by Playwright (its driver ships in the package: no
/// 'playwright install'). On a fresh machine the first use installs Chromium from Debian's packages, as the AppHost
/// does its servers. Disposed with the class, so no browser outlives the run.
/// </summary>
public sealed class DashboardBrowser : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Where screenshots go: beside the test results, one file per test.</summary>
    public static readonly string ScreenshotDirectory = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser did not start.");

    public async ValueTask InitializeAsync()
    {
        using (var cts = new CancellationTokenSource(TimeSpan.FromMinutes(10)))
        {
            await Shop.AppHost.Servers.DebianPackages.EnsureAsync("chromium", () => File.Exists(ChromiumPath),
                new ConsoleProgress(), NullLogger.Instance, cts.Token);
        }
        // Playwright's default 5 s for an expectation is short for a Blazor circuit to connect on a busy 2-core machine.
        Assertions.SetDefaultExpectTimeout(30_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    /// <summary>A page signed in with the login link the AppHost prints (the way a user opens the dashboard).</summary>
    public async Task<IPage> LoginAsync(string loginUrl)
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1600, Height = 1000 }, Locale = "en-US" });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync(loginUrl);
        await Assertions.Expect(page).Not.ToHaveURLAsync(new global::System.Text.RegularExpressions.Regex("/login"));
        return page;
    }

    /// <summary>Saves the page as a PNG named after the test and attaches it to the test result.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var bytes = await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDirectory, $"{name}.png"), FullPage = true });
        TestContext.Current.AddAttachment($"{name}.png", bytes, "image/png");
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }

    /// <summary>apt's milestones on the test run's console while Chromium is installed.</summary>
    private sealed class ConsoleProgress : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => Console.WriteLine(formatter(state, exception));
    }
}
