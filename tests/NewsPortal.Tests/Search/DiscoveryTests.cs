using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using NewsPortal.Tests.Api;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;

namespace NewsPortal.Tests.Search;

/// <summary>What search engines and link previews see: sitemaps, robots.txt, canonical and social tags, NewsArticle JSON-LD.</summary>
public sealed class DiscoveryTests(EditorialFactory factory) : IClassFixture<EditorialFactory>
{
    private static readonly XNamespace Sitemap = "http://www.sitemaps.org/schemas/sitemap/0.9";
    private static readonly XNamespace News = "http://www.google.com/schemas/sitemap-news/0.9";

    private async Task<XDocument> XmlAsync(string url)
    {
        using var response = await factory.CreateClient().GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/xml", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        // UTF-8 as declared, without a byte-order mark, which some crawlers read as text before the declaration.
        var text = System.Text.Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>", text, StringComparison.Ordinal);
        return XDocument.Parse(text);
    }

    /// <summary>
    /// Moves the clock past the months the other tests here date their stories in, so that a story dated "today" is in
    /// none of their listings, and says when that is.
    /// </summary>
    private DateTime TodayOfItsOwn()
    {
        factory.Clock.Advance(TimeSpan.FromDays(400));
        return factory.Clock.GetUtcNow().UtcDateTime;
    }

    private async Task<List<string>> ArticleLocationsAsync()
    {
        var index = await XmlAsync("/sitemap.xml");
        var locations = new List<string>();
        foreach (var sitemap in index.Root!.Elements(Sitemap + "sitemap").Select(s => new Uri(s.Element(Sitemap + "loc")!.Value).AbsolutePath).Where(p => p.StartsWith("/sitemaps/articles-", StringComparison.Ordinal)))
        {
            locations.AddRange((await XmlAsync(sitemap)).Root!.Elements(Sitemap + "url").Select(u => new Uri(u.Element(Sitemap + "loc")!.Value).AbsolutePath));
        }

        return locations;
    }

    [Fact]
    public async Task RobotsTxt_PointsAtTheSitemaps_AndKeepsCrawlersOutOfTheAdminArea()
    {
        using var response = await factory.CreateClient().GetAsync("/robots.txt");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Disallow: /admin", text);
        Assert.Matches(@"Sitemap: http://[^/]+/sitemap\.xml", text);
        Assert.Matches(@"Sitemap: http://[^/]+/sitemaps/news\.xml", text);
    }

    [Fact]
    public async Task Sitemap_ListsPublicArticlesAndListings_AndFollowsPublishing()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        using var created = await editor.SubmitFormAsync("/admin/articles/edit", new Dictionary<string, string?>
        {
            ["Form.Title"] = "Sitemap draft story",
            ["Form.Body"] = "Body.",
            ["Form.PublishedOn"] = "2026-03-01",
            ["Form.Language"] = "en",
            ["Form.Status"] = "Draft",
        }, "#article-form");
        var editUrl = created.Headers.Location!.OriginalString;

        var whileDraft = await ArticleLocationsAsync();
        await editor.SubmitFormAsync(editUrl, new Dictionary<string, string?>(), "#article-form", "Publish");
        var published = await ArticleLocationsAsync();
        await editor.SubmitFormAsync(editUrl, new Dictionary<string, string?>(), "#article-form", "Unpublish");
        var unpublished = await ArticleLocationsAsync();
        var pages = (await XmlAsync("/sitemaps/pages.xml")).Root!.Elements(Sitemap + "url").Select(u => new Uri(u.Element(Sitemap + "loc")!.Value).AbsolutePath).ToList();

        Assert.Contains($"/articles/{Infrastructure.Seed.Slug}", whileDraft);
        Assert.DoesNotContain("/articles/sitemap-draft-story", whileDraft);
        Assert.Contains("/articles/sitemap-draft-story", published);
        Assert.DoesNotContain("/articles/sitemap-draft-story", unpublished);
        Assert.Contains("/sources/anadolu-agency", pages);
        Assert.Contains("/categories/snippets", pages);
        Assert.Contains("/languages", pages);
    }

    [Fact]
    public async Task ThreadSitemaps_ListDevelopingStories_NotOneStoryThreads_AndFollowAStoryJoiningOne()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Harbour strike begins").PublishedOn(2026, 5, 4).InThread("Harbour strike"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("A lone report").PublishedOn(2026, 5, 4).InThread("Lone report"));
        ArticleBuilder Spreads() => new ArticleBuilder().Titled("Harbour strike spreads").PublishedOn(2026, 5, 6);
        await factory.AddArticleAsync(Spreads());

        var before = await ThreadEntriesAsync();
        // An update, not a new story: the story joins the thread, which makes it developing.
        await factory.AddArticleAsync(Spreads().InThread("Harbour strike"));
        var after = await ThreadEntriesAsync();
        using var beyond = await factory.CreateClient().GetAsync("/sitemaps/threads-999.xml");

        Assert.DoesNotContain("/threads/harbour-strike", before.Keys);
        Assert.Equal("2026-05-06", after["/threads/harbour-strike"]);
        Assert.DoesNotContain("/threads/lone-report", after.Keys);
        Assert.Equal(HttpStatusCode.NotFound, beyond.StatusCode);
    }

    /// <summary>Each thread page the sitemap index leads to, with its lastmod.</summary>
    private async Task<Dictionary<string, string>> ThreadEntriesAsync()
    {
        var index = await XmlAsync("/sitemap.xml");
        var entries = new Dictionary<string, string>();
        foreach (var sitemap in index.Root!.Elements(Sitemap + "sitemap").Select(s => new Uri(s.Element(Sitemap + "loc")!.Value).AbsolutePath).Where(p => p.StartsWith("/sitemaps/threads-", StringComparison.Ordinal)))
        {
            foreach (var url in (await XmlAsync(sitemap)).Root!.Elements(Sitemap + "url"))
            {
                entries.Add(new Uri(url.Element(Sitemap + "loc")!.Value).AbsolutePath, url.Element(Sitemap + "lastmod")!.Value);
            }
        }

        return entries;
    }

    [Fact]
    public async Task NewsSitemap_HasTheLastTwoDaysOnly_WithPublicationDetails_AndNoArchiveImportedToday_TheDayAloneWhenNoTimeIsKnown()
    {
        var now = TodayOfItsOwn();
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Fresh news story").PublishedOn(now.Year, now.Month, now.Day).InLanguage("tr"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Archive story imported today").PublishedOn(2025, 6, 2));
        var yesterday = now.AddDays(-1);
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Wire story of yesterday").PublishedOn(yesterday.Year, yesterday.Month, yesterday.Day)
            .WithDocumentDate(new DateTime(yesterday.Year, yesterday.Month, yesterday.Day, 18, 30, 0)));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Bulletin of yesterday").PublishedOn(yesterday.Year, yesterday.Month, yesterday.Day));

        var fresh = await XmlAsync("/sitemaps/news.xml");
        factory.Clock.Advance(TimeSpan.FromDays(3));
        var later = await XmlAsync("/sitemaps/news.xml");

        var entries = fresh.Root!.Elements(Sitemap + "url").ToDictionary(u => new Uri(u.Element(Sitemap + "loc")!.Value).AbsolutePath, u => u.Element(News + "news")!);
        var news = entries["/articles/fresh-news-story"];
        Assert.Equal("Fresh news story", news.Element(News + "title")!.Value);
        Assert.Equal("tr", news.Element(News + "publication")!.Element(News + "language")!.Value);
        Assert.Equal("NewsPortal", news.Element(News + "publication")!.Element(News + "name")!.Value);
        Assert.Equal(now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), news.Element(News + "publication_date")!.Value);
        Assert.Equal($"{yesterday:yyyy-MM-dd}T18:30:00Z", entries["/articles/wire-story-of-yesterday"].Element(News + "publication_date")!.Value);
        Assert.Equal($"{yesterday:yyyy-MM-dd}", entries["/articles/bulletin-of-yesterday"].Element(News + "publication_date")!.Value);
        Assert.DoesNotContain("/articles/archive-story-imported-today", entries.Keys);
        Assert.DoesNotContain($"/articles/{Seed.Slug}", entries.Keys);
        Assert.DoesNotContain(later.Root!.Elements(Sitemap + "url"), u => u.Element(Sitemap + "loc")!.Value.EndsWith("/articles/fresh-news-story", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/categories")]
    [InlineData("/sources/anadolu-agency")]
    [InlineData("/search?q=talks")]
    [InlineData("/archive")]
    [InlineData("/languages")]
    [InlineData("/articles/" + Infrastructure.Seed.Slug)]
    public async Task EveryPage_HasCanonicalDescriptionOpenGraphAndTwitterTags(string url)
    {
        var page = await factory.CreateClient().GetDocumentAsync(url);

        var canonical = page.QuerySelector("link[rel=canonical]")!.GetAttribute("href")!;
        Assert.True(Uri.IsWellFormedUriString(canonical, UriKind.Absolute));
        Assert.Equal(url, new Uri(canonical).PathAndQuery);
        foreach (var selector in new[] { "meta[name=description]", "meta[property='og:title']", "meta[property='og:description']", "meta[property='og:url']", "meta[name='twitter:card']" })
        {
            Assert.False(string.IsNullOrWhiteSpace(page.QuerySelector(selector)?.GetAttribute("content")), $"{selector} missing on {url}");
        }
    }

    [Fact]
    public async Task ArticlePage_CarriesNewsArticleStructuredData()
    {
        var page = await factory.CreateClient().GetDocumentAsync($"/articles/{Infrastructure.Seed.Slug}");

        using var json = JsonDocument.Parse(page.QuerySelector("script[type='application/ld+json']")!.TextContent);
        var data = json.RootElement;
        Assert.Equal("https://schema.org", data.GetProperty("@context").GetString());
        Assert.Equal("NewsArticle", data.GetProperty("@type").GetString());
        Assert.Equal(Infrastructure.Seed.Title, data.GetProperty("headline").GetString());
        Assert.Equal("2025-06-02", data.GetProperty("datePublished").GetString());
        Assert.Equal("2026-03-28T08:51:11", data.GetProperty("dateCreated").GetString());
        Assert.True(DateTimeOffset.TryParse(data.GetProperty("dateModified").GetString(), out _));
        Assert.Equal("en", data.GetProperty("inLanguage").GetString());
        Assert.Equal("Anadolu Agency", data.GetProperty("author")[0].GetProperty("name").GetString());
        Assert.Equal("Anadolu Agency", data.GetProperty("sourceOrganization")[0].GetProperty("name").GetString());
        Assert.Equal("NewsPortal", data.GetProperty("publisher").GetProperty("name").GetString());
        Assert.Equal(["English", "International", "Snippets"], data.GetProperty("articleSection").EnumerateArray().Select(e => e.GetString()));
        Assert.False(data.TryGetProperty("isBasedOn", out _));
    }

    [Fact]
    public async Task AStoryPublishedNow_GivesSearchEnginesItsTime_AnArchiveStoryOnlyItsDay()
    {
        var now = TodayOfItsOwn();
        var fresh = await factory.AddArticleAsync(new ArticleBuilder().Titled("Story out this minute").PublishedOn(now.Year, now.Month, now.Day));
        var archive = await factory.AddArticleAsync(new ArticleBuilder().Titled("Story from the archive, imported now").PublishedOn(2024, 5, 6));

        async Task<(string? JsonLd, string? Meta)> PublishedAsync(string slug)
        {
            var page = await factory.CreateClient().GetDocumentAsync($"/articles/{slug}");
            using var json = JsonDocument.Parse(page.QuerySelector("script[type='application/ld+json']")!.TextContent);
            return (json.RootElement.GetProperty("datePublished").GetString(), page.QuerySelector("meta[property='article:published_time']")!.GetAttribute("content"));
        }

        var time = now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal((time, time), await PublishedAsync(fresh));
        Assert.Equal(("2024-05-06", "2024-05-06"), await PublishedAsync(archive));
    }

    [Fact]
    public async Task ATitleContainingScriptEndTag_CannotBreakOutOfTheJsonLd()
    {
        var slug = await factory.AddArticleAsync(new ArticleBuilder().Titled("Breaking </script><script>alert(1)</script> news").WithOriginalUrl("https://example.org/x"));

        var html = await (await factory.CreateClient().GetAsync($"/articles/{slug}")).Content.ReadAsStringAsync();
        var page = await factory.CreateClient().GetDocumentAsync($"/articles/{slug}");

        // The JSON-LD is the only inline script; the site's own (theme.js) come from /js/.
        Assert.Single(page.QuerySelectorAll("script:not([src^='/js/'])"));
        using var json = JsonDocument.Parse(page.QuerySelector("script[type='application/ld+json']")!.TextContent);
        Assert.Equal("Breaking </script><script>alert(1)</script> news", json.RootElement.GetProperty("headline").GetString());
        Assert.Equal("https://example.org/x", json.RootElement.GetProperty("isBasedOn").GetString());
        Assert.DoesNotContain("</script><script>", html);
    }

    [Fact]
    public async Task MonthArchive_ListsThatMonthsStories_AndUnknownMonthsAre404()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("March archive story").PublishedOn(2026, 3, 14));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("April archive story").PublishedOn(2026, 4, 2));

        var march = await factory.CreateClient().GetDocumentAsync("/archive/2026/03");
        var index = await factory.CreateClient().GetDocumentAsync("/archive");

        Assert.Equal(["March archive story"], march.TextsOf(".headlines h2"));
        Assert.Equal("Archive March 2026", march.TextOf("main h1").Normalized());
        Assert.Contains("March 2026 1 story", index.TextsOf(".index-list li").Select(t => t.Normalized()));
        await factory.CreateClient().GetDocumentAsync("/archive/2026/13", expectedStatus: 404);
        await factory.CreateClient().GetDocumentAsync("/archive/1999/01", expectedStatus: 404);
        await factory.CreateClient().GetDocumentAsync("/archive/9999/11", expectedStatus: 404);
    }

    [Fact]
    public async Task RelatedStories_ShareSourcesCategoriesOrHeadlineWords()
    {
        var slug = await factory.AddArticleAsync(new ArticleBuilder().Titled("Volcano erupts near Reykjavik").FromSource("Iceland Review").InCategory("Volcanoes"));
        // Another category: one in the same category is linked as its newer or older story instead.
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Flights resume after the volcano quietens").FromSource("Iceland Review").InCategory("Aviation"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Reykjavik council meets").InCategory("Politics"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Unrelated cricket score").InCategory("Sport"));

        var page = await factory.CreateClient().GetDocumentAsync($"/articles/{slug}");
        var related = page.TextsOf(".related li a");

        Assert.Equal("Flights resume after the volcano quietens", related[0]);
        Assert.Contains("Reykjavik council meets", related);
        Assert.DoesNotContain("Unrelated cricket score", related);
        Assert.DoesNotContain("Volcano erupts near Reykjavik", related);
    }

    [Fact]
    public async Task RelatedStories_FollowHeadlineEdits()
    {
        var api = await factory.TokenClientAsync(Roles.Editor);
        object Story(string title, string category) => new { title, body = "Text.", publishedOn = "2024-08-01", status = "Published", categories = new[] { category } };
        await api.PostAsJsonAsync("/api/v1/articles", Story("Glacier retreats across Patagonia", "Climate watch"));
        await api.PostAsJsonAsync("/api/v1/articles", Story("Wildfire season opens in the Andes", "Fire watch"));
        // An editor's view is never cached: a reader's cached page does not list a story that became related after it
        // was kept (it changes when the cache entry is next rendered).
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        async Task<IReadOnlyList<string>> RelatedAsync() => (await editor.GetDocumentAsync("/articles/glacier-retreats-across-patagonia")).TextsOf(".related li a");
        async Task RetitleAsync(string title)
        {
            var read = await api.GetFromJsonAsync<JsonElement>("/api/v1/articles/wildfire-season-opens-in-the-andes");
            using var edited = await api.PutAsJsonAsync("/api/v1/articles/wildfire-season-opens-in-the-andes", new { title, version = read.GetProperty("version").GetInt32() });
            edited.EnsureSuccessStatusCode();
        }

        var unrelated = await RelatedAsync();
        await RetitleAsync("Wildfire season opens in Patagonia");
        var related = await RelatedAsync();
        await RetitleAsync("Wildfire season opens in the Andes");
        var unrelatedAgain = await RelatedAsync();

        Assert.Empty(unrelated);
        Assert.Equal(["Wildfire season opens in Patagonia"], related);
        Assert.Empty(unrelatedAgain);
    }
}

/// <summary>A store holding a story dated as late as a date can be.</summary>
public sealed class ArchiveEdgeTests(NewsPortalFactory factory) : IClassFixture<NewsPortalFactory>
{
    [Fact]
    public async Task EveryMonthTheArchiveLinks_HasItsPage_EvenTheLastMonthThereIs()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("A story from the end of time").PublishedOn(9999, 12, 31));
        var index = await factory.CreateClient().GetDocumentAsync("/archive");

        var months = index.QuerySelectorAll(".index-list a").Select(a => a.GetAttribute("href")!).ToList();
        Assert.Contains("/archive/9999/12", months);
        foreach (var month in months)
        {
            await factory.CreateClient().GetDocumentAsync(month);
        }

        Assert.Contains("A story from the end of time", (await factory.CreateClient().GetDocumentAsync("/archive/9999/12")).TextsOf(".headlines h2"));
    }
}
