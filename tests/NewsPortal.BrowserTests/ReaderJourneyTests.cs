using System.Text.RegularExpressions;
using Microsoft.Playwright;
using NewsPortal.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace NewsPortal.BrowserTests;

[Collection(BrowserCollection.Name)]
public sealed class ReaderJourneyTests(BrowserFixture browser)
{
    [Fact]
    public async Task Reader_FollowsADevelopingStory_FromTheFrontPageRail()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync("/");
        await Expect(page.Locator(".river > li.lead h2")).ToHaveTextAsync(Seeded.ArticleTitle);
        await page.Locator(".rail").GetByRole(AriaRole.Link, new() { Name = Seeded.ThreadName }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(Seeded.ThreadPath) + "$"));
        await Expect(page.Locator(".headlines h2")).ToHaveTextAsync([
            "Delegations prepare for Istanbul talks, day 3", "Delegations prepare for Istanbul talks, day 2", "Delegations prepare for Istanbul talks, day 1"]);

        await page.GetByRole(AriaRole.Link, new() { Name = "Delegations prepare for Istanbul talks, day 1" }).ClickAsync();
        await Expect(page.Locator(".thread-kicker")).ToHaveTextAsync(Seeded.ThreadName);
        await Expect(page.Locator(".more-on-story .timeline a")).ToHaveTextAsync([
            "Delegations prepare for Istanbul talks, day 3", "Delegations prepare for Istanbul talks, day 2"]);
    }

    [Fact]
    public async Task Reader_FollowsHeadlineSourceCategoryAndSearch_ByClicking()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = Seeded.ArticleTitle }).First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(Seeded.ArticlePath) + "$"));
        await Expect(page.Locator(".attribution")).ToContainTextAsync("Reported by Anadolu Agency");

        await page.Locator(".attribution a", new() { HasText = "Anadolu Agency" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(Seeded.SourcePath) + "$"));
        await Expect(page.Locator("h1")).ToContainTextAsync("Anadolu Agency");

        await page.Locator("main a[href^='/categories/']").First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/categories/[^/]+$"));
        var feed = await page.Locator("link[rel=alternate][type='application/atom+xml']").GetAttributeAsync("href");

        await page.Locator("#site-search-q").FillAsync("istanbul");
        await page.Locator("#site-search-q").PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex(@"/search\?q=istanbul$"));
        var result = page.Locator("main li", new() { Has = page.GetByRole(AriaRole.Link, new() { Name = Seeded.ArticleTitle }) });
        await Expect(result.Locator("mark").First).ToHaveTextAsync("istanbul", new() { IgnoreCase = true });

        Assert.False(string.IsNullOrEmpty(feed), "The category page has no Atom autodiscovery link.");
        var response = await page.APIRequest.GetAsync(feed!);
        Assert.Equal(200, response.Status);
        Assert.StartsWith("application/atom+xml", response.Headers["content-type"], StringComparison.Ordinal);
    }
}
