using NewsPortal.Tests.Infrastructure;

namespace NewsPortal.Tests.Sources;

public sealed class SourcePageTests(NewsPortalFactory factory) : IClassFixture<NewsPortalFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task SourcesIndex_ListsAnadoluAgencyWithItsCount()
    {
        var page = await _client.GetDocumentAsync("/sources");

        Assert.Contains("Anadolu Agency 1 story", page.TextsOf(".index-list li").Select(t => t.Normalized()));
        Assert.Equal("/sources/anadolu-agency", page.QuerySelector(".index-list a")!.GetAttribute("href"));
    }

    [Fact]
    public async Task SourcePage_ListsTheSeed()
    {
        var page = await _client.GetDocumentAsync("/sources/anadolu-agency");

        Assert.Equal("Source Anadolu Agency", page.TextOf("main h1").Normalized());
        Assert.Equal(Seed.Title, page.TextOf(".headlines h2"));
    }

    [Fact]
    public async Task SameSourceSpelledDifferently_KeepsOnePage()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("First Kyiv story").FromSource("Kyiv Independent"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Second Kyiv story").FromSource(" kyiv  INDEPENDENT"));

        var page = await _client.GetDocumentAsync("/sources/kyiv-independent");
        var index = await _client.GetDocumentAsync("/sources");

        Assert.Equal(["Second Kyiv story", "First Kyiv story"], page.TextsOf(".headlines h2"));
        Assert.Single(index.QuerySelectorAll(".index-list a"), a => a.TextContent.Contains("Kyiv", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task SourcePage_UnknownSlug_Returns404()
    {
        var page = await _client.GetDocumentAsync("/sources/nobody", expectedStatus: 404);

        Assert.Equal("Page not found", page.TextOf("main h1"));
    }
}
