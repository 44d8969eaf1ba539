using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Shop.Contracts;
using Shop.Tests.Edge;
using Shop.Tests.Messaging;
using static Microsoft.Playwright.Assertions;

namespace Shop.Tests.Dashboard;

/// <summary>
/// The dashboard of the test run's AppHost, in Chromium, as a user sees it: the telemetry on its pages is what the
/// services really exported over OTLP while the suite ran.
/// </summary>
public sealed class DashboardPageTests(ShopAppFixture fixture, DashboardBrowser browser) : IClassFixture<DashboardBrowser>
{
    /// <summary>Services export every second; the page refreshes live: well within this.</summary>
    private static readonly TimeSpan TelemetryDeadline = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string BaseUrl => new Uri(fixture.DashboardLoginUrl).GetLeftPart(UriPartial.Authority);

    [Fact]
    public async Task the_login_link_opens_the_dashboard_and_a_wrong_token_is_refused()
    {
        var page = await browser.NewPageAsync();

        await page.GotoAsync($"{BaseUrl}/structuredlogs");
        await Expect(page).ToHaveURLAsync(new Regex("/login"));

        await page.GotoAsync($"{BaseUrl}/login?t={new string('0', 32)}");
        await Expect(page).ToHaveURLAsync(new Regex("/login"));
        await Expect(page.GetByText("Invalid token")).ToBeVisibleAsync();
        await DashboardBrowser.ScreenshotAsync(page, "login-refused");

        await page.GotoAsync(fixture.DashboardLoginUrl);
        await Expect(page).Not.ToHaveURLAsync(new Regex("/login"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Resources" })).ToBeVisibleAsync();
        await DashboardBrowser.ScreenshotAsync(page, "login-accepted");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task the_resources_page_shows_every_resource_healthy()
    {
        var page = await browser.LoginAsync(fixture.DashboardLoginUrl);
        foreach (var name in ShopAppFixture.AllResources)
        {
            var row = ResourceRow(page, name);
            await Expect(row).ToHaveCountAsync(1);
            await Expect(row.GetByText("Healthy", new() { Exact = true })).ToBeVisibleAsync();
            await Expect(row.GetByText("Running", new() { Exact = true })).ToBeVisibleAsync();
        }
        await DashboardBrowser.ScreenshotAsync(page, "resources-healthy");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task a_call_through_the_gateway_shows_as_one_trace_across_resources()
    {
        // The caller starts the trace (W3C traceparent), so the test knows which one to look for.
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/users"))
        {
            request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
            request.Content = JsonContent.Create(new { email = ShopClient.NewEmail(), password = ShopClient.GoodPassword, displayName = "Trace Test" });
            using var response = await fixture.Gateway.SendAsync(request, Ct);
            Assert.True(response.IsSuccessStatusCode, $"register answered {(int)response.StatusCode}");
        }

        var page = await browser.LoginAsync(fixture.DashboardLoginUrl);
        await DashboardBrowser.GotoAsync(page, $"{BaseUrl}/traces");
        await TypeFilterAsync(page, traceId);
        var row = page.GetByTestId("trace-row");
        await Expect(row).ToHaveCountAsync(1, new() { Timeout = (float)TelemetryDeadline.TotalMilliseconds });
        await Expect(row).ToContainTextAsync("gateway");
        await DashboardBrowser.ScreenshotAsync(page, "traces-list");

        await DashboardBrowser.GotoAsync(page, $"{BaseUrl}/traces/detail/{traceId}");
        var spans = page.GetByTestId("span-row");
        // The gateway's server and client spans and identity's server span at least; then the database's.
        await Expect(spans.And(page.Locator("[data-resource='identity']")).First).ToBeVisibleAsync(new() { Timeout = (float)TelemetryDeadline.TotalMilliseconds });
        await Expect(spans.And(page.Locator("[data-resource='gateway']")).First).ToBeVisibleAsync();
        var resources = (await spans.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.resource)")).Distinct().ToList();
        Assert.True(resources.Count >= 2, $"the waterfall shows spans of {string.Join(", ", resources)}");
        await DashboardBrowser.ScreenshotAsync(page, "trace-waterfall");

        // A span's details: its attributes, e.g. the route the gateway served.
        await spans.And(page.Locator("[data-resource='gateway']")).First.ClickAsync();
        await Expect(page.GetByTestId("span-details")).ToContainTextAsync("/api/v1/users");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task structured_logs_filter_by_level_and_resource()
    {
        // A saga reply for an order nobody placed: ordering logs a warning naming it (and ignores it).
        var orderId = Guid.NewGuid();
        await using (var broker = await Broker.ConnectAsync(fixture, Ct))
        {
            await broker.SendAsync(Queues.Ordering, new StockReserved(orderId), Guid.NewGuid(), Ct);
        }

        var page = await browser.LoginAsync(fixture.DashboardLoginUrl);
        await DashboardBrowser.GotoAsync(page, $"{BaseUrl}/structuredlogs");
        await TypeFilterAsync(page, orderId.ToString());
        var rows = page.GetByTestId("log-row");
        await Expect(rows).ToHaveCountAsync(1, new() { Timeout = (float)TelemetryDeadline.TotalMilliseconds });
        await Expect(rows).ToHaveAttributeAsync("data-resource", "ordering");
        await Expect(rows).ToHaveAttributeAsync("data-level", "warning");

        await SelectAsync(page, "filter-resource", "ordering");
        await SelectAsync(page, "filter-level", "warning");
        await Expect(rows).ToHaveCountAsync(1);
        await DashboardBrowser.ScreenshotAsync(page, "structured-logs-ordering-warning");

        // Above the entry's level, or another resource: it is filtered out.
        await SelectAsync(page, "filter-level", "error");
        await Expect(rows).ToHaveCountAsync(0);
        await SelectAsync(page, "filter-level", "information");
        await Expect(rows).ToHaveCountAsync(1);
        await SelectAsync(page, "filter-resource", "catalog");
        await Expect(rows).ToHaveCountAsync(0);

        // Without the text filter, a resource and a level: every row is of that resource and at least that level.
        await TypeFilterAsync(page, "");
        await SelectAsync(page, "filter-resource", "ordering");
        await SelectAsync(page, "filter-level", "warning");
        // The page re-renders after each pick, so the catalog rows shown before it are waited out, not read.
        await Expect(page.Locator("[data-testid='log-row']:not([data-resource='ordering'])")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid='log-row']:not([data-level='warning'], [data-level='error'], [data-level='critical'])"))
            .ToHaveCountAsync(0);
        await Expect(rows.First).ToBeVisibleAsync();
        var shown = await rows.EvaluateAllAsync<string[][]>("rows => rows.map(r => [r.dataset.resource, r.dataset.level])");
        Assert.NotEmpty(shown);
        Assert.All(shown, r =>
        {
            Assert.Equal("ordering", r[0]);
            Assert.Contains(r[1], new[] { "warning", "error", "critical" });
        });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task a_metric_chart_renders_with_data_points()
    {
        // Requests through the gateway feed ASP.NET Core's request-duration histogram.
        for (var i = 0; i < 5; i++)
        {
            using var response = await fixture.Gateway.GetAsync("/api/v1/products", Ct);
        }
        var page = await browser.LoginAsync(fixture.DashboardLoginUrl);
        await DashboardBrowser.GotoAsync(page, $"{BaseUrl}/metrics/resource/gateway?meter=Microsoft.AspNetCore.Hosting&instrument=http.server.request.duration");
        var chart = page.GetByTestId("metric-chart");
        await Expect(chart).ToBeVisibleAsync(new() { Timeout = (float)TelemetryDeadline.TotalMilliseconds });
        await Expect(chart).ToHaveAttributeAsync("data-points", new Regex("^[1-9][0-9]*$"), new() { Timeout = (float)TelemetryDeadline.TotalMilliseconds });
        await Expect(page.GetByText("p99").First).ToBeVisibleAsync();
        await DashboardBrowser.ScreenshotAsync(page, "metric-chart");
        await page.Context.CloseAsync();
    }

    internal static ILocator ResourceRow(IPage page, string name)
        => page.Locator("tr", new() { Has = page.Locator(".resource-name", new() { HasTextRegex = new Regex($"^{Regex.Escape(name)}$") }) });

    /// <summary>Types into the page's text filter as a user does (select what is there, then type over it).</summary>
    private static async Task TypeFilterAsync(IPage page, string text)
    {
        var input = page.GetByTestId("filter-text").Locator("input");
        await input.ClickAsync();
        await input.PressAsync("Control+A");
        await input.PressAsync("Backspace");
        if (text.Length > 0)
        {
            await input.PressSequentiallyAsync(text);
        }
    }

    /// <summary>Picks an option of a Fluent dropdown the way a user does: open it, click the option.</summary>
    private static async Task SelectAsync(IPage page, string testId, string option)
    {
        var dropdown = page.GetByTestId(testId);
        await dropdown.ClickAsync();
        await dropdown.Locator($"fluent-option[value='{option}']").ClickAsync();
    }
}
