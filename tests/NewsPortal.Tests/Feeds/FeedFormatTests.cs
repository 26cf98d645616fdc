using System.Xml.Linq;
using NewsPortal.Tests.Infrastructure;
using static NewsPortal.Tests.Feeds.FeedReader;

namespace NewsPortal.Tests.Feeds;

public sealed class FeedFormatTests(NewsPortalFactory factory) : IClassFixture<NewsPortalFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private static readonly string SeedUrl = $"http://localhost/articles/{Seed.Slug}";

    [Theory]
    [InlineData("/feed.atom")]
    [InlineData("/categories/english/feed.atom")]
    [InlineData("/sources/anadolu-agency/feed.atom")]
    [InlineData("/languages/en/feed.atom")]
    public async Task AtomFeeds_ValidateAgainstTheRfc4287Schema(string url)
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled($"Schema check {url}").InCategory("English").FromSource("Anadolu Agency").FromSource("Reuters"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled($"Schema check without names {url}").InLanguage("en"));

        await AtomSchema.AssertValidAsync(await _client.GetFeedAsync(url));
    }

    [Fact]
    public async Task AtomSchema_RejectsAFeedMissingWhatRfc4287Requires()
    {
        var feed = await _client.GetAtomAsync("/feed.atom");
        feed.Root!.Element(Atom + "entry")!.Element(Atom + "id")!.Remove();

        var (exitCode, _) = await AtomSchema.ValidateAsync(feed.ToString());

        Assert.NotEqual(0, exitCode);
    }

    [Fact]
    public async Task AtomEntry_CarriesLinkIdDatesAuthorsCategoriesLanguageAndTheRenderedBody()
    {
        var feed = await _client.GetAtomAsync("/categories/snippets/feed.atom");
        var entry = feed.Root!.Elements(Atom + "entry").Single(e => e.Element(Atom + "title")!.Value == Seed.Title);

        Assert.Equal(SeedUrl, entry.Element(Atom + "id")!.Value);
        Assert.Equal(SeedUrl, entry.Elements(Atom + "link").Single(l => (string?)l.Attribute("rel") is null or "alternate").Attribute("href")!.Value);
        Assert.True(DateTimeOffset.TryParse(entry.Element(Atom + "published")!.Value, out _));
        Assert.True(DateTimeOffset.TryParse(entry.Element(Atom + "updated")!.Value, out _));
        Assert.Equal(["Anadolu Agency"], entry.Elements(Atom + "author").Select(a => a.Element(Atom + "name")!.Value));
        Assert.Equal(["English", "International", "Snippets"], entry.Elements(Atom + "category").Select(c => c.Attribute("term")!.Value));
        Assert.Equal("en", entry.Attribute(XNamespace.Xml + "lang")!.Value);
        var content = entry.Element(Atom + "content")!;
        Assert.Equal("html", content.Attribute("type")!.Value);
        Assert.StartsWith("<p><span class=\"dateline\">ISTANBUL –</span> Russia and Ukraine have resumed", content.Value);
        Assert.Equal("http://localhost/categories/snippets/feed.atom", feed.Root.Element(Atom + "id")!.Value);
        Assert.Equal("Snippets · NewsPortal", feed.Root.Element(Atom + "title")!.Value);
    }

    [Fact]
    public async Task ArchiveStories_AreDatedTheirOwnDay_NotTheDayTheyWereImported_AtNoonUtcWhenOnlyTheDayIsKnown()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Archive story without a document date").PublishedOn(2024, 2, 29).InCategory("Snippets"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Archive story with a document date that day").PublishedOn(2024, 3, 1)
            .WithDocumentDate(new DateTime(2024, 3, 1, 17, 5, 30)).InCategory("Snippets"));
        // The seed was published on June 2, 2025; its document date (08:51:11 on 28 March 2026) is another day's. A
        // day with no time is given noon UTC, which a feed reader in New York or in Tokyo shows as that same day.
        var seed = new DateTimeOffset(2025, 6, 2, 12, 0, 0, TimeSpan.Zero);
        var undated = new DateTimeOffset(2024, 2, 29, 12, 0, 0, TimeSpan.Zero);
        var timed = new DateTimeOffset(2024, 3, 1, 17, 5, 30, TimeSpan.Zero);

        var atom = (await _client.GetAtomAsync("/categories/snippets/feed.atom")).Root!.Elements(Atom + "entry")
            .ToDictionary(e => e.Element(Atom + "title")!.Value, e => DateTimeOffset.Parse(e.Element(Atom + "published")!.Value, System.Globalization.CultureInfo.InvariantCulture));
        var rss = (await _client.GetRssAsync("/categories/snippets/feed.rss")).Items.ToDictionary(i => i.Title.Text, i => i.PublishDate);
        var json = (await _client.GetJsonFeedAsync("/categories/snippets/feed.json")).GetProperty("items").EnumerateArray()
            .ToDictionary(i => i.GetProperty("title").GetString()!, i => DateTimeOffset.Parse(i.GetProperty("date_published").GetString()!, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal((seed, seed, seed), (atom[Seed.Title], rss[Seed.Title], json[Seed.Title]));
        Assert.Equal((undated, undated, undated),
            (atom["Archive story without a document date"], rss["Archive story without a document date"], json["Archive story without a document date"]));
        Assert.Equal((timed, timed, timed),
            (atom["Archive story with a document date that day"], rss["Archive story with a document date that day"], json["Archive story with a document date that day"]));
    }

    [Fact]
    public async Task AtomEntryIds_AreTheSameOnEveryRequest()
    {
        var first = await _client.GetAtomAsync("/feed.atom");
        var second = await factory.CreateClient().GetAtomAsync("/feed.atom");

        Assert.Equal(
            first.Root!.Elements(Atom + "entry").Select(e => e.Element(Atom + "id")!.Value),
            second.Root!.Elements(Atom + "entry").Select(e => e.Element(Atom + "id")!.Value));
    }

    [Fact]
    public async Task Feeds_WithoutAHub_StillLinkToThemselves()
    {
        var atom = await _client.GetAtomAsync("/sources/anadolu-agency/feed.atom");
        var rss = await _client.GetRssAsync("/sources/anadolu-agency/feed.rss");
        var json = await _client.GetJsonFeedAsync("/sources/anadolu-agency/feed.json");

        Assert.Equal("http://localhost/sources/anadolu-agency/feed.atom", atom.Root!.Elements(Atom + "link").Single(l => (string?)l.Attribute("rel") == "self").Attribute("href")!.Value);
        Assert.DoesNotContain(atom.Root.Elements(Atom + "link"), l => (string?)l.Attribute("rel") == "hub");
        Assert.Equal("http://localhost/sources/anadolu-agency/feed.rss", rss.Links.Single(l => l.RelationshipType == "self").Uri.AbsoluteUri);
        Assert.DoesNotContain(rss.Links, l => l.RelationshipType == "hub");
        Assert.Equal("http://localhost/sources/anadolu-agency/feed.json", json.GetProperty("feed_url").GetString());
        Assert.False(json.TryGetProperty("hubs", out _));
    }

    [Fact]
    public async Task JsonFeed_HasTheRequiredFields_AndEachItemItsContentUrlDateAndAuthors()
    {
        var feed = await _client.GetJsonFeedAsync("/feed.json");
        var item = feed.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("title").GetString() == Seed.Title);

        Assert.Equal("https://jsonfeed.org/version/1.1", feed.GetProperty("version").GetString());
        Assert.Equal("NewsPortal", feed.GetProperty("title").GetString());
        Assert.Equal("http://localhost/", feed.GetProperty("home_page_url").GetString());
        Assert.Equal(SeedUrl, item.GetProperty("id").GetString());
        Assert.Equal(SeedUrl, item.GetProperty("url").GetString());
        Assert.StartsWith("<p><span class=\"dateline\">ISTANBUL –</span>", item.GetProperty("content_html").GetString());
        Assert.True(DateTimeOffset.TryParse(item.GetProperty("date_published").GetString(), out _));
        Assert.True(DateTimeOffset.TryParse(item.GetProperty("date_modified").GetString(), out _));
        Assert.Equal("en", item.GetProperty("language").GetString());
        Assert.Equal(["Anadolu Agency"], item.GetProperty("authors").EnumerateArray().Select(a => a.GetProperty("name").GetString()));
        Assert.Equal("http://localhost/sources/anadolu-agency", item.GetProperty("authors")[0].GetProperty("url").GetString());
        Assert.Equal(["English", "International", "Snippets"], item.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task RssFeed_ParsesWithRss20FeedFormatter_WithLinksCategoriesCreatorsAndLanguage()
    {
        var feed = await _client.GetRssAsync("/categories/international/feed.rss");
        var item = feed.Items.Single(i => i.Title.Text == Seed.Title);

        Assert.Equal("International · NewsPortal", feed.Title.Text);
        Assert.Equal("http://localhost/categories/international", feed.Links.First(l => l.RelationshipType == "alternate").Uri.AbsoluteUri);
        Assert.Equal("en", feed.Language);
        Assert.Equal(SeedUrl, item.Id);
        Assert.Equal(SeedUrl, item.Links.Single().Uri.AbsoluteUri);
        Assert.Equal(["English", "International", "Snippets"], item.Categories.Select(c => c.Name));
        Assert.Equal(["Anadolu Agency"], item.ElementExtensions.ReadElementExtensions<string>("creator", DublinCore.NamespaceName));
        Assert.NotEqual(default, item.PublishDate);
        Assert.StartsWith("<p><span class=\"dateline\">ISTANBUL –</span>", item.Summary.Text);
    }

    [Fact]
    public async Task CategoryFeed_ListsOnlyTheCategorysArticles_NewestFirst()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Older business story").PublishedOn(2026, 1, 1).InCategory("Business"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Newer business story").PublishedOn(2026, 2, 1).InCategory("Business"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Sport story").PublishedOn(2026, 3, 1).InCategory("Sport"));

        foreach (var format in new[] { "atom", "rss", "json" })
        {
            Assert.Equal(["Newer business story", "Older business story"], await _client.TitlesAsync($"/categories/business/feed.{format}"));
        }
    }

    [Fact]
    public async Task LanguageFeed_ListsOnlyArticlesInThatLanguage_AndNamesItForRss()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Türkçe haber").InLanguage("tr"));

        var rss = await _client.GetRssAsync("/languages/tr/feed.rss");
        var json = await _client.GetJsonFeedAsync("/languages/tr/feed.json");
        var atom = await _client.GetAtomAsync("/languages/tr/feed.atom");

        Assert.Equal(["Türkçe haber"], rss.Items.Select(i => i.Title.Text));
        Assert.Equal("tr", rss.Language);
        Assert.Equal("tr", json.GetProperty("language").GetString());
        Assert.Equal("tr", json.GetProperty("items")[0].GetProperty("language").GetString());
        Assert.Equal("tr", atom.Root!.Element(Atom + "entry")!.Attribute(XNamespace.Xml + "lang")!.Value);
    }

    [Theory]
    [InlineData("/feed.atom", "application/atom+xml")]
    [InlineData("/feed.rss", "application/rss+xml")]
    [InlineData("/feed.json", "application/feed+json")]
    [InlineData("/categories/english/feed.json", "application/feed+json")]
    [InlineData("/sources/anadolu-agency/feed.rss", "application/rss+xml")]
    [InlineData("/languages/en/feed.atom", "application/atom+xml")]
    public async Task Feeds_AnswerWithTheirMediaType_InUtf8(string url, string mediaType)
    {
        using var response = await _client.GetAsync(url);

        Assert.Equal($"{mediaType}; charset=utf-8", response.Content.Headers.ContentType!.ToString());
    }

    [Theory]
    [InlineData("/categories/no-such-category/feed.atom")]
    [InlineData("/sources/no-such-source/feed.rss")]
    [InlineData("/languages/xx/feed.json")]
    [InlineData("/feed.xml")]
    [InlineData("/categories/english/feed.html")]
    public async Task Feeds_UnknownNameOrFormat_Returns404(string url)
    {
        using var response = await _client.GetAsync(url);

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task CategoryFeed_OldSlugOfARenamedCategory_RedirectsPermanently()
    {
        await factory.WithDbAsync(async db =>
        {
            var english = db.Categories.Single(c => c.Slug == "english");
            db.CategoryAliases.Add(new NewsPortal.Web.Shared.CategoryAlias { TargetId = english.Id, Name = "Englisch", NameKey = "englisch", Slug = "englisch" });
            return await db.SaveChangesAsync();
        });

        using var response = await factory.CreatePlainClient().GetAsync("/categories/englisch/feed.rss");

        Assert.Equal(System.Net.HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("/categories/english/feed.rss", response.Headers.Location!.OriginalString);
    }
}
