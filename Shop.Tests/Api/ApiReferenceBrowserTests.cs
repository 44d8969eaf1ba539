using Microsoft.Playwright;
using Shop.Tests.Dashboard;

namespace Shop.Tests.Api;

/// <summary>
/// The API reference as a user sees it: Chromium opens the gateway's <c>/api-reference/</c>, picks every document the
/// gateway lists in the page's selector, and finds each operation of that document in the sidebar, by its summary.
/// </summary>
public sealed class ApiReferenceBrowserTests(ShopAppFixture fixture, DashboardBrowser browser) : IClassFixture<DashboardBrowser>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task the_api_reference_page_shows_every_operation_of_every_document()
    {
        var operations = await ApiContract.OperationsAsync(fixture.Gateway, Ct);
        var context = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1600, Height = 1000 }, Locale = "en-US" });
        await using var _ = context;
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(fixture.Gateway.BaseAddress!, "/api-reference/").ToString());
        var index = await ApiContract.IndexAsync(fixture.Gateway, Ct);
        var current = index[0].Title;
        foreach (var document in index)
        {
            var summaries = operations.Where(o => o.Document == document.Url).Select(o => o.Summary).ToList();
            Assert.All(summaries, s => Assert.False(string.IsNullOrWhiteSpace(s), $"An operation of {document.Url} has no summary."));
            if (document.Title != current)
            {
                // The page's document selector lists every document by its title.
                await page.GetByRole(AriaRole.Button, new() { Name = current, Exact = true }).ClickAsync();
                await page.GetByRole(AriaRole.Option, new() { Name = document.Title, Exact = true }).ClickAsync();
                current = document.Title;
            }
            var sidebar = page.GetByRole(AriaRole.Complementary);
            foreach (var summary in summaries)
            {
                await Assertions.Expect(sidebar.GetByRole(AriaRole.Link, new() { Name = summary! }).First).ToBeVisibleAsync();
            }
            if (document.Service == "ordering")
            {
                await DashboardBrowser.ScreenshotAsync(page, "api-reference-ordering");
            }
        }
    }
}
