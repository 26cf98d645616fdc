using NewsPortal.Tests.Infrastructure;

namespace NewsPortal.Tests.Feeds;

public sealed class FeedDiscoveryTests(NewsPortalFactory factory) : IClassFixture<NewsPortalFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Theory]
    [InlineData("/", "/", "NewsPortal")]
    [InlineData("/categories/english", "/categories/english", "English · NewsPortal")]
    [InlineData("/sources/anadolu-agency", "/sources/anadolu-agency", "Anadolu Agency · NewsPortal")]
    [InlineData("/languages/en", "/languages/en", "English · NewsPortal")]
    public async Task ListingPage_AdvertisesItsAtomRssAndJsonFeeds_AndTheyAnswer(string page, string listing, string title)
    {
        var document = await _client.GetDocumentAsync(page);
        var links = document.Head!.QuerySelectorAll("link[rel=alternate]")
            .Select(l => (Type: l.GetAttribute("type"), Href: l.GetAttribute("href")!, Title: l.GetAttribute("title")))
            .ToList();

        var feedBase = listing.TrimEnd('/');
        Assert.Equal(
            [
                ("application/atom+xml", $"{feedBase}/feed.atom", $"{title} (Atom)"),
                ("application/rss+xml", $"{feedBase}/feed.rss", $"{title} (RSS)"),
                ("application/feed+json", $"{feedBase}/feed.json", $"{title} (JSON Feed)"),
            ],
            links);
        foreach (var link in links)
        {
            Assert.Contains(Seed.Title, await _client.TitlesAsync(link.Href));
        }
    }

    [Theory]
    [InlineData("/categories")]
    [InlineData("/sources")]
    [InlineData("/articles/" + Seed.Slug)]
    public async Task OtherPages_AdvertiseNoFeed(string page)
    {
        var document = await _client.GetDocumentAsync(page);

        Assert.Empty(document.Head!.QuerySelectorAll("link[rel=alternate]"));
    }
}
