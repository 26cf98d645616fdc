using NewsPortal.Tests.Infrastructure;

namespace NewsPortal.Tests.Languages;

public sealed class LanguagePageTests(NewsPortalFactory factory) : IClassFixture<NewsPortalFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task LanguagePage_ListsTheSeed_InEnglish()
    {
        var page = await _client.GetDocumentAsync("/languages/en");

        Assert.Equal([Seed.Title], page.TextsOf(".headlines h2"));
        Assert.Equal("English · NewsPortal", page.Title);
        Assert.Equal("1 story in English.", page.QuerySelector("meta[name=description]")!.GetAttribute("content"));
    }

    [Fact]
    public async Task LanguagePage_ListsOnlyArticlesInThatLanguage_UnderItsName()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Piyasalar yükseldi").InLanguage("tr"));

        var page = await _client.GetDocumentAsync("/languages/tr");
        var upperCase = await _client.GetDocumentAsync("/languages/TR");

        Assert.Equal(["Piyasalar yükseldi"], page.TextsOf(".headlines h2"));
        Assert.Equal("Language Turkish", page.TextOf("main h1").Normalized());
        Assert.Equal("Turkish · NewsPortal", page.Title);
        Assert.Equal(["Piyasalar yükseldi"], upperCase.TextsOf(".headlines h2"));
    }

    [Fact]
    public async Task LanguagePage_ShowsTwentyAPage()
    {
        for (var day = 1; day <= 21; day++)
        {
            await factory.AddArticleAsync(new ArticleBuilder().Titled($"Deutsche Meldung {day}").PublishedOn(2026, 1, day).InLanguage("de"));
        }

        var first = await _client.GetDocumentAsync("/languages/de");
        var second = await _client.GetDocumentAsync("/languages/de" + first.QuerySelector(".pager a[rel=next]")!.GetAttribute("href"));

        Assert.Equal(20, first.QuerySelectorAll(".headlines h2").Length);
        Assert.Equal("Deutsche Meldung 21", first.TextsOf(".headlines h2")[0]);
        Assert.Equal(["Deutsche Meldung 1"], second.TextsOf(".headlines h2"));
        Assert.Equal("German, 1 January 2026 and earlier · NewsPortal", second.Title);
    }

    [Theory]
    [InlineData("/languages/xx")]
    [InlineData("/languages/not-a-language-at-all")]
    [InlineData("/languages/%20")]
    [InlineData("/languages/%0D%0A")]
    public async Task LanguagePage_WithNoPublicArticles_Returns404(string url)
    {
        var page = await _client.GetDocumentAsync(url, expectedStatus: 404);

        Assert.Equal("Page not found", page.TextOf("main h1"));
    }
}

public sealed class LanguageIndexTests(NewsPortalFactory factory) : IClassFixture<NewsPortalFactory>
{
    [Fact]
    public async Task TheLanguagesPage_ListsEachLanguageWithItsCount_TheMostWrittenFirst_EachLeadingToItsStories()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Chinese story one").InLanguage("zh-Hant"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Chinese story two").InLanguage("zh-Hant"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Piyasalar yükseldi").InLanguage("tr"));
        var client = factory.CreateClient();

        var index = await client.GetDocumentAsync("/languages");

        Assert.Equal("Languages", index.TextOf("main h1"));
        Assert.Equal(["Chinese (Traditional) 2 stories", "English 1 story", "Turkish 1 story"], index.TextsOf(".index-list li").Select(t => t.Normalized()));
        var links = index.QuerySelectorAll(".index-list a").Select(a => a.GetAttribute("href")!).ToList();
        Assert.Equal(["/languages/zh-hant", "/languages/en", "/languages/tr"], links);
        Assert.Equal(["Chinese story two", "Chinese story one"], (await client.GetDocumentAsync(links[0])).TextsOf(".headlines h2"));
    }
}
