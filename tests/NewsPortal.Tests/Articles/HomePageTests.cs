using NewsPortal.Tests.Infrastructure;

namespace NewsPortal.Tests.Articles;

public sealed class HomePageTests(NewsPortalFactory factory) : IClassFixture<NewsPortalFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Home_ListsTheSeededIstanbulReport()
    {
        var page = await _client.GetDocumentAsync("/");

        var card = page.QuerySelector(".headlines article")!;
        var link = card.QuerySelector("h2 a")!;
        Assert.Equal(Seed.Title, link.TextContent.Trim());
        Assert.Equal($"/articles/{Seed.Slug}", link.GetAttribute("href"));
        Assert.Equal("2 June 2025", card.QuerySelector("time")!.TextContent.Trim());
        Assert.StartsWith("Russia and Ukraine have resumed peace negotiations in Istanbul", card.QuerySelector(".lede")!.TextContent.Trim());
        Assert.Equal(["English", "International", "Snippets"], card.QuerySelectorAll(".categories a").Select(a => a.TextContent.Trim()));
        Assert.Equal("/sources/anadolu-agency", card.QuerySelector(".sources a")!.GetAttribute("href"));
    }

    [Fact]
    public async Task Home_IsSemanticHtmlWithTitleAndDescription()
    {
        var page = await _client.GetDocumentAsync("/");

        foreach (var landmark in new[] { "header", "nav", "main", "footer", "article" })
        {
            Assert.NotNull(page.QuerySelector(landmark));
        }

        Assert.Equal("Headlines · NewsPortal", page.Title);
        Assert.False(string.IsNullOrWhiteSpace(page.QuerySelector("meta[name=description]")?.GetAttribute("content")));
        Assert.Equal("en", page.DocumentElement.GetAttribute("lang"));
    }

    [Fact]
    public async Task Home_LinksItsStylesheetAndTheStylesheetIsServed()
    {
        var page = await _client.GetDocumentAsync("/");
        var href = page.QuerySelector("link[rel=stylesheet]")!.GetAttribute("href")!;

        using var css = await _client.GetAsync(href);

        Assert.Equal(200, (int)css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.Contains("prefers-color-scheme", await css.Content.ReadAsStringAsync());
    }
}
