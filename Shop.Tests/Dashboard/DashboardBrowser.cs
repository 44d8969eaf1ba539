using Microsoft.Playwright;
using Shop.AppHost.Runtime;

namespace Shop.Tests.Dashboard;

/// <summary>
/// One headless Debian Chromium per test class, driven by Playwright (its driver ships in the package: no
/// 'playwright install'). On a fresh machine the first use installs Chromium from Debian packages, with progress,
/// as the AppHost does for its servers. Disposed with the class, so no browser outlives the run.
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
        await EnsureChromiumAsync();
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

    /// <summary>A fresh browser context (its own cookies) with a page on it; the caller logs in or not.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 }, Locale = "en-US" });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    /// <summary>A page logged in with the AppHost's login link (the way a user opens the dashboard).</summary>
    public async Task<IPage> LoginAsync(string loginUrl)
    {
        var page = await NewPageAsync();
        await page.GotoAsync(loginUrl);
        await Assertions.Expect(page).Not.ToHaveURLAsync(new global::System.Text.RegularExpressions.Regex("/login"));
        await WaitInteractiveAsync(page);
        return page;
    }

    /// <summary>Navigates and waits until the page's circuit runs (before that, prerendered buttons and inputs do nothing).</summary>
    public static async Task GotoAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        await WaitInteractiveAsync(page);
    }

    public static async Task WaitInteractiveAsync(IPage page)
        => await Assertions.Expect(page.Locator("[data-interactive]")).ToHaveAttributeAsync("data-interactive", "true");

    /// <summary>Saves the page as a PNG named after the test and attaches it to the test result.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var path = Path.Combine(ScreenshotDirectory, $"{name}.png");
        var bytes = await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        TestContext.Current.AddAttachment($"{name}.png", bytes, "image/png");
    }

    private static async Task EnsureChromiumAsync()
    {
        var options = new RuntimeOptions
        {
            StateDirectory = Path.GetTempPath(),
            DeleteStateOnDispose = false,
            RandomizePorts = true,
            DashboardEnabled = false,
            DashboardUrl = "http://127.0.0.1:0",
            EnvironmentName = "Testing",
            AppHostDirectory = AppContext.BaseDirectory,
        };
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await new PackageInstaller(options).EnsureAsync("chromium", () => File.Exists(ChromiumPath),
            (line, milestone) =>
            {
                if (milestone)
                {
                    Console.WriteLine($"chromium: {line}");
                }
            }, cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }
}
