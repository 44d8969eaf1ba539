using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Shop.Tests.Edge;
using Shop.Tests.Ordering;

namespace Shop.Tests.Dashboard;

/// <summary>
/// The saga's and payment's metrics on the Aspire dashboard's metrics page, in Chromium (the dashboard has no API for
/// metrics): the instruments each service exports, under their meters, with values once an order has gone through.
/// </summary>
public sealed class DashboardMetricsTests(ShopAppFixture fixture, DashboardBrowser browser) : IClassFixture<DashboardBrowser>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task the_saga_and_payment_metrics_and_wolverines_meter_reach_the_dashboard_after_an_order()
    {
        var admin = await ShopClient.AdminAsync(fixture, Ct);
        var product = await OrderFlow.NewProductAsync(fixture.Gateway, admin.AccessToken, 4.50m, 5, Ct);
        var (_, customer) = await ShopClient.NewCustomerAsync(fixture.Gateway, Ct);
        var id = await OrderFlow.PlaceAsync(fixture.Gateway, customer.AccessToken, OrderFlow.Body(product, 1), Ct);
        Assert.Equal("Completed", (await OrderFlow.OrderAsync(fixture.Gateway, customer.AccessToken, id, Ct)).GetProperty("status").GetString());

        var page = await browser.LoginAsync(fixture.DashboardLoginUrl);
        try
        {
            // Ordering's meter and its instruments (the page lists what the resource has exported so far).
            await page.GotoAsync($"{fixture.DashboardUrl}/metrics/resource/ordering");
            foreach (var instrument in new[] { "orders.placed", "orders.completed", "orders.saga.duration" })
            {
                await Assertions.Expect(page.GetByText(instrument, new() { Exact = true }).First).ToBeVisibleAsync();
            }
            await Assertions.Expect(page.GetByText("Shop.Ordering", new() { Exact = true }).First).ToBeVisibleAsync();

            // A counter's chart: the completed orders, as a table of values: the instrument's description from ordering's
            // code, and a row with a time, then a count of at least one. The table loads after the page; where it shows
            // "Loading..." and the dashboard reports an error (seen now and then on this 2-core machine), the page is
            // opened again, as a user would.
            var tableUrl = $"{fixture.DashboardUrl}/metrics/resource/ordering?meter=Shop.Ordering&instrument=orders.completed&duration=5&view=Table";
            var valueRow = page.GetByRole(AriaRole.Row).Filter(new() { HasTextRegex = new Regex(@"\d:\d\d:\d\d\s*[AP]M\s*[1-9]\d*") }).First;
            for (var attempt = 1; ; attempt++)
            {
                await page.GotoAsync(tableUrl);
                await Assertions.Expect(page.GetByText("Orders that reached Completed").First).ToBeVisibleAsync();
                try
                {
                    await Assertions.Expect(valueRow).ToBeVisibleAsync(new() { Timeout = 15_000 });
                    break;
                }
                catch (PlaywrightException) when (attempt < 3)
                {
                }
            }
            await DashboardBrowser.ScreenshotAsync(page, "dashboard-metrics-table");

            // Payment: its own totals and Wolverine's meter, named after the service.
            await page.GotoAsync($"{fixture.DashboardUrl}/metrics/resource/payment");
            await Assertions.Expect(page.GetByText("payment.charged.amount", new() { Exact = true }).First).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByText("Wolverine:Payment", new() { Exact = true }).First).ToBeVisibleAsync();
        }
        finally
        {
            await DashboardBrowser.ScreenshotAsync(page, "dashboard-metrics");
        }
    }
}
