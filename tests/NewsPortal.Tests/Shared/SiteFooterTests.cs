using Microsoft.EntityFrameworkCore;
using NewsPortal.Tests.Infrastructure;

namespace NewsPortal.Tests.Shared;

/// <summary>The foot of every page leads to the rest of the site, its feeds and its terms; counts read as numbers.</summary>
public sealed class SiteFooterTests(NewsPortalFactory factory) : IClassFixture<NewsPortalFactory>
{
    [Fact]
    public async Task EveryPageFoot_LinksTheArchiveAboutAndAllStoriesFeeds_AndAListingsOwnFeeds()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Footer story").InCategory("Footer checks").PublishedOn(2031, 8, 1));
        var client = factory.CreateClient();
        var home = await client.GetDocumentAsync("/");
        var category = await client.GetDocumentAsync("/categories/footer-checks");

        string[] Links(AngleSharp.Dom.IDocument page) => [.. page.QuerySelectorAll("footer a").Select(a => a.GetAttribute("href")!)];
        Assert.Subset(Links(home).ToHashSet(), new HashSet<string> { "/archive", "/about", "/categories", "/sources", "/languages", "/feed.atom", "/feed.rss", "/feed.json" });
        Assert.Contains("/categories/footer-checks/feed.atom", Links(category));
        Assert.Contains("/feed.atom", Links(category));
        Assert.DoesNotContain("/categories/footer-checks/feed.atom", Links(home));
        foreach (var link in Links(category).Where(l => l.StartsWith('/')))
        {
            using var response = await client.GetAsync(link);
            Assert.True(response.IsSuccessStatusCode, $"{link} answered {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task TheAboutPage_SaysWhereStoriesComeFromAndUnderWhatLicences()
    {
        var about = await factory.CreateClient().GetDocumentAsync("/about");

        Assert.Contains("Licences", about.TextsOf("main h2"));
        Assert.Contains(about.QuerySelectorAll("main a").Select(a => a.GetAttribute("href")), href => href == "https://creativecommons.org/licenses/by-sa/4.0/");
    }

    [Fact]
    public async Task StoryCounts_HaveThousandsSeparators()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Counted story").InCategory("Busy category").PublishedOn(2031, 8, 2));
        // As a category with many stories would read: the count is kept on the category, not counted per request.
        await factory.WithDbAsync(db => db.Categories.Where(c => c.Slug == "busy-category").ExecuteUpdateAsync(c => c.SetProperty(x => x.ArticleCount, 12_345)));

        var index = await factory.CreateClient().GetDocumentAsync("/categories");

        Assert.Contains(index.TextsOf(".index-list li").Select(t => t.Normalized()), t => t == "Busy category 12,345 stories");
    }
}
