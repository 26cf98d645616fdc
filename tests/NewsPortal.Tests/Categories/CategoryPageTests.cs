using NewsPortal.Tests.Infrastructure;

namespace NewsPortal.Tests.Categories;

public sealed class CategoryPageTests(NewsPortalFactory factory) : IClassFixture<NewsPortalFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task CategoriesIndex_ListsTheSeedCategoriesWithCounts()
    {
        var page = await _client.GetDocumentAsync("/categories");

        var items = page.TextsOf(".index-list li").Select(t => t.Normalized()).ToArray();
        Assert.Contains("English 1 story", items);
        Assert.Contains("International 1 story", items);
        Assert.Contains("Snippets 1 story", items);
        Assert.Equal("Categories · NewsPortal", page.Title);
    }

    [Theory]
    [InlineData("english")]
    [InlineData("international")]
    [InlineData("snippets")]
    public async Task CategoryPage_ListsTheSeed(string slug)
    {
        var page = await _client.GetDocumentAsync($"/categories/{slug}");

        Assert.Equal(Seed.Title, page.TextOf(".headlines h2"));
        Assert.NotNull(page.QuerySelector("meta[name=description]"));
    }

    [Fact]
    public async Task CategoryPage_CountsGrowWithNewArticles()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Markets rally").InCategory("Business"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Rates hold").InCategory("business "));

        var index = await _client.GetDocumentAsync("/categories");
        var page = await _client.GetDocumentAsync("/categories/business");

        Assert.Contains("Business 2 stories", index.TextsOf(".index-list li").Select(t => t.Normalized()));
        Assert.Equal(["Rates hold", "Markets rally"], page.TextsOf(".headlines h2"));
    }

    [Fact]
    public async Task CategorySourceAndLanguagePages_SayHowManyStoriesTheyHold_AndLinkTheirIndex()
    {
        ArticleBuilder Story(string title) => new ArticleBuilder().Titled(title).InCategory("Aviation").FromSource("Skies Weekly").InLanguage("fi");
        await factory.AddArticleAsync(Story("Runway reopens"));
        await factory.AddArticleAsync(Story("Night flights resume"));
        string[] pages = ["/categories/aviation", "/sources/skies-weekly", "/languages/fi"];

        var before = await Task.WhenAll(pages.Select(url => _client.GetDocumentAsync(url)));
        await factory.AddArticleAsync(Story("New terminal opens"));
        var after = await Task.WhenAll(pages.Select(url => _client.GetDocumentAsync(url)));

        Assert.All(before, page => Assert.StartsWith("2 stories, newest first.", page.TextOf(".listing-summary")));
        Assert.All(after, page => Assert.StartsWith("3 stories, newest first.", page.TextOf(".listing-summary")));
        Assert.Equal(["/categories", "/sources", "/languages"], after.Select(page => page.QuerySelector(".listing-summary a")!.GetAttribute("href")));
    }

    [Fact]
    public async Task CategoryPage_UnknownSlug_Returns404()
    {
        var page = await _client.GetDocumentAsync("/categories/no-such-category", expectedStatus: 404);

        Assert.Equal("Page not found", page.TextOf("main h1"));
    }
}
