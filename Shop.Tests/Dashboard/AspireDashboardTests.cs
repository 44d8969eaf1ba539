using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Shop.Tests.Ordering;

namespace Shop.Tests.Dashboard;

/// <summary>
/// The Aspire dashboard as a developer sees it, in Chromium: signed in with the AppHost's login link, every resource
/// Running and Healthy, and an order's trace across every service it touched.
/// </summary>
public sealed class AspireDashboardTests(ShopAppFixture fixture, DashboardBrowser browser) : IClassFixture<DashboardBrowser>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task the_login_link_opens_the_resources_page_with_every_resource_running_and_healthy()
    {
        var page = await browser.LoginAsync(fixture.DashboardLoginUrl);
        try
        {
            // Every project replica, server and database has a row that says Running, and none is unhealthy.
            foreach (var resource in ShopAppFixture.AllResources)
            {
                var row = page.Locator("tr").Filter(new() { Has = page.GetByText(new Regex($"^{resource}(-[a-z0-9]+)?$")) }).First;
                await Assertions.Expect(row).ToContainTextAsync("Running");
            }
            await Assertions.Expect(page.GetByText("Unhealthy")).ToHaveCountAsync(0);
            await Assertions.Expect(page.GetByText("Starting")).ToHaveCountAsync(0);
        }
        finally
        {
            await DashboardBrowser.ScreenshotAsync(page, "dashboard-resources");
        }
    }

    [Fact]
    public async Task an_orders_trace_shows_spans_of_the_gateway_ordering_catalog_inventory_payment_shipping_and_notification()
    {
        var traceId = await OrderTraces.PlaceTracedOrderAsync(fixture, Ct);
        string[] services = ["gateway", "ordering", "catalog", "inventory", "payment", "shipping", "notification"];
        // The notification is the saga's last step: wait until the dashboard has it before opening the page.
        using (var api = fixture.DashboardApi())
        {
            await DashboardTraces.WaitForAsync(() => DashboardTraces.TraceAsync(api, traceId, Ct), t => services.All(r => t.Any(s => s.Resource == r)),
                t => string.Join(", ", t.Select(s => s.Resource).Distinct()), "the order's spans from every service", TimeSpan.FromSeconds(30), Ct);
        }

        var page = await browser.LoginAsync(fixture.DashboardLoginUrl);
        try
        {
            await page.GotoAsync($"{fixture.DashboardUrl}/traces/detail/{traceId}");
            foreach (var service in services)
            {
                await Assertions.Expect(page.GetByText(new Regex($"^{service}(-[a-z0-9]+)?$")).First).ToBeVisibleAsync();
            }
        }
        finally
        {
            await DashboardBrowser.ScreenshotAsync(page, "dashboard-order-trace");
        }
    }
}
