using Microsoft.AspNetCore.Hosting;
using NewsPortal.Tests.Infrastructure;
using static NewsPortal.Tests.Feeds.FeedReader;

namespace NewsPortal.Tests.Feeds;

/// <summary>The app with a WebSub hub, a public base URL and short feeds configured.</summary>
public sealed class ConfiguredFeedsFactory : NewsPortalFactory
{
    public const string Hub = "https://hub.example.net/";
    public const string PublicBaseUrl = "https://news.example.org";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Feeds:WebSubHub", Hub);
        builder.UseSetting("Feeds:ItemCount", "3");
        builder.UseSetting("Portal:PublicBaseUrl", PublicBaseUrl);
    }
}

public sealed class WebSubFeedTests(ConfiguredFeedsFactory factory) : IClassFixture<ConfiguredFeedsFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task AtomFeed_AdvertisesTheHubAndItself_AndStaysValid()
    {
        var xml = await _client.GetFeedAsync("/categories/english/feed.atom");
        var links = System.Xml.Linq.XDocument.Parse(xml).Root!.Elements(Atom + "link").ToList();

        Assert.Equal(ConfiguredFeedsFactory.Hub, links.Single(l => (string?)l.Attribute("rel") == "hub").Attribute("href")!.Value);
        Assert.Equal("https://news.example.org/categories/english/feed.atom", links.Single(l => (string?)l.Attribute("rel") == "self").Attribute("href")!.Value);
        await AtomSchema.AssertValidAsync(xml);
    }

    [Fact]
    public async Task RssFeed_AdvertisesTheHubAndItself_AsAtomLinks()
    {
        var xml = await _client.GetFeedAsync("/feed.rss");
        var feed = await _client.GetRssAsync("/feed.rss");
        var atomLinks = System.Xml.Linq.XDocument.Parse(xml).Root!.Element("channel")!.Elements(Atom + "link").ToList();

        Assert.Equal(ConfiguredFeedsFactory.Hub, atomLinks.Single(l => (string?)l.Attribute("rel") == "hub").Attribute("href")!.Value);
        Assert.Equal("https://news.example.org/feed.rss", atomLinks.Single(l => (string?)l.Attribute("rel") == "self").Attribute("href")!.Value);
        Assert.Equal(ConfiguredFeedsFactory.Hub, feed.Links.Single(l => l.RelationshipType == "hub").Uri.AbsoluteUri);
    }

    [Fact]
    public async Task JsonFeed_ListsTheHub()
    {
        var feed = await _client.GetJsonFeedAsync("/sources/anadolu-agency/feed.json");
        var hub = Assert.Single(feed.GetProperty("hubs").EnumerateArray().ToList());

        Assert.Equal("WebSub", hub.GetProperty("type").GetString());
        Assert.Equal(ConfiguredFeedsFactory.Hub, hub.GetProperty("url").GetString());
        Assert.Equal("https://news.example.org/sources/anadolu-agency/feed.json", feed.GetProperty("feed_url").GetString());
    }

    [Fact]
    public async Task Feeds_LinkFromThePublicBaseUrl_NotTheRequestsHost()
    {
        var entry = (await _client.GetAtomAsync("/feed.atom")).Root!.Element(Atom + "entry")!;
        var item = (await _client.GetJsonFeedAsync("/feed.json")).GetProperty("items")[0];

        Assert.StartsWith("https://news.example.org/articles/", entry.Element(Atom + "id")!.Value);
        Assert.StartsWith("https://news.example.org/sources/", entry.Element(Atom + "author")!.Element(Atom + "uri")!.Value);
        Assert.StartsWith("https://news.example.org/articles/", item.GetProperty("url").GetString());
    }

    [Fact]
    public async Task Feeds_CarryTheNewestItemCountArticles()
    {
        for (var day = 1; day <= 4; day++)
        {
            await factory.AddArticleAsync(new ArticleBuilder().Titled($"Counted story {day}").PublishedOn(2027, 1, day).InCategory("Counted"));
        }

        foreach (var format in new[] { "atom", "rss", "json" })
        {
            Assert.Equal(["Counted story 4", "Counted story 3", "Counted story 2"], await _client.TitlesAsync($"/categories/counted/feed.{format}"));
        }
    }
}
