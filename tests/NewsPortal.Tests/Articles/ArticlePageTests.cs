using NewsPortal.Tests.Infrastructure;

namespace NewsPortal.Tests.Articles;

public sealed class ArticlePageTests(NewsPortalFactory factory) : IClassFixture<NewsPortalFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task SeedArticle_ShowsTitleAsTheOnlyHeading()
    {
        var page = await _client.GetDocumentAsync($"/articles/{Seed.Slug}");

        var headings = page.QuerySelectorAll("h1");
        Assert.Single(headings);
        Assert.Equal(Seed.Title, headings[0].TextContent.Trim());
        Assert.StartsWith(Seed.Title, page.Title);
    }

    [Fact]
    public async Task SeedArticle_ShowsPublishedDateAndDocumentTimestamp()
    {
        var page = await _client.GetDocumentAsync($"/articles/{Seed.Slug}");

        Assert.Equal("Published 2 June 2025", page.TextOf(".story .published").Normalized());
        Assert.Equal("2025-06-02", page.QuerySelector(".story .published time")!.GetAttribute("datetime"));
        Assert.Equal("2026-03-28T08:51:11", page.QuerySelector(".story .document-date time")!.GetAttribute("datetime"));
        Assert.Contains("28 March 2026, 08:51:11", page.TextOf(".story .document-date"));
    }

    [Fact]
    public async Task SeedArticle_ShowsSourceSiteCategoriesLanguageAndDateline()
    {
        var page = await _client.GetDocumentAsync($"/articles/{Seed.Slug}");

        Assert.Equal("en", page.QuerySelector("article.story")!.GetAttribute("lang"));
        Assert.Equal("Reported by Anadolu Agency via rki.news", page.TextOf(".story .attribution").Normalized());
        Assert.Equal("/sources/anadolu-agency", page.QuerySelector(".attribution a")!.GetAttribute("href"));
        Assert.Equal(["English", "International", "Snippets"], page.TextsOf(".story .categories a"));
        Assert.Equal(
            ["/categories/english", "/categories/international", "/categories/snippets"],
            page.QuerySelectorAll(".story .categories a").Select(a => a.GetAttribute("href")));
        Assert.Equal("ISTANBUL –", page.TextOf(".story-body p:first-child .dateline"));
        Assert.StartsWith("ISTANBUL – Russia and Ukraine have resumed peace negotiations", page.TextOf(".story-body p"));
    }

    [Fact]
    public async Task SeedArticle_HasNoShowOnWebsiteLink_BecauseItsLinkIsAHash()
    {
        var page = await _client.GetDocumentAsync($"/articles/{Seed.Slug}");

        Assert.DoesNotContain("Show on website", page.Body!.TextContent);
        Assert.Empty(page.QuerySelectorAll(".story a.external"));
    }

    [Fact]
    public async Task SeedArticle_JoinsTheParagraphSplitMidSentence()
    {
        var page = await _client.GetDocumentAsync($"/articles/{Seed.Slug}");

        var paragraphs = page.TextsOf(".story-body p");
        Assert.Equal(7, paragraphs.Length);
        Assert.StartsWith("The trilateral talks, hosted at the historic Ciragan Palace, are being chaired by Turkish Foreign Minister Hakan Fidan. High-level", paragraphs[1]);
        Assert.DoesNotContain(paragraphs, p => p.StartsWith("Minister Hakan Fidan", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ArticleWithOriginalUrl_ShowsShowOnWebsiteAsAnExternalNofollowLink()
    {
        var slug = await factory.AddArticleAsync(new ArticleBuilder().Titled("Linked story").WithOriginalUrl("https://example.org/news/1"));

        var page = await _client.GetDocumentAsync($"/articles/{slug}");

        var link = page.QuerySelector(".story a.external")!;
        Assert.Equal("Show on website", link.TextContent.Trim());
        Assert.Equal("https://example.org/news/1", link.GetAttribute("href"));
        Assert.Equal("noopener nofollow", link.GetAttribute("rel"));
    }

    [Fact]
    public async Task ArticleBody_ShowsHtmlAndScriptAsText_NeverAsMarkup()
    {
        var slug = await factory.AddArticleAsync(new ArticleBuilder()
            .Titled("<script>alert('title')</script> Hostile title")
            .WithParagraph("Hello <script>alert('x')</script> <img src=x onerror=alert(1)> [click](javascript:alert(2)) **bold**"));

        var page = await _client.GetDocumentAsync($"/articles/{slug}");

        // The site's own scripts (theme.js) come from /js/; nothing from the article may add another.
        Assert.Empty(page.QuerySelectorAll("script:not([type='application/ld+json']):not([src^='/js/'])"));
        Assert.Empty(page.QuerySelectorAll(".story img"));
        Assert.Contains("<script>alert('x')</script>", page.TextOf(".story-body"));
        Assert.Contains("<script>alert('title')</script>", page.TextOf("h1"));
        Assert.DoesNotContain(page.QuerySelectorAll(".story-body a"), a => (a.GetAttribute("href") ?? "").StartsWith("javascript", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("bold", page.TextOf(".story-body strong"));
    }

    [Fact]
    public async Task ArticleInAnotherLanguage_CarriesItsLangAttribute()
    {
        var slug = await factory.AddArticleAsync(new ArticleBuilder().Titled("Türkiye'de seçim").InLanguage("tr"));

        var page = await _client.GetDocumentAsync($"/articles/{slug}");

        Assert.Equal("turkiyede-secim", slug);
        Assert.Equal("tr", page.QuerySelector("article.story")!.GetAttribute("lang"));
    }

    [Fact]
    public async Task ArticlePage_UnknownSlug_Returns404WithARealPage()
    {
        var page = await _client.GetDocumentAsync("/articles/no-such-story", expectedStatus: 404);

        Assert.Equal("Page not found", page.TextOf("main h1"));
        Assert.NotNull(page.QuerySelector("header nav"));
    }

    [Fact]
    public async Task TwoArticlesWithTheSameTitle_GetDifferentSlugs()
    {
        var first = await factory.AddArticleAsync(new ArticleBuilder().Titled("Same headline").PublishedOn(2025, 6, 2));
        var second = await factory.AddArticleAsync(new ArticleBuilder().Titled("Same headline").PublishedOn(2025, 6, 3));

        Assert.Equal("same-headline", first);
        Assert.Equal("same-headline-2", second);
        Assert.Equal(200, (int)(await _client.GetAsync($"/articles/{second}")).StatusCode);
    }
}
