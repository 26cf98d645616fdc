using AngleSharp.Html.Parser;
using NewsPortal.Tests.Infrastructure;
using static NewsPortal.Tests.Feeds.FeedReader;

namespace NewsPortal.Tests.Feeds;

/// <summary>Titles and bodies are untrusted: in every feed they stay well-formed text, and the HTML carries nothing that runs.</summary>
public sealed class HostileContentFeedTests(EmptyNewsPortalFactory factory) : IClassFixture<EmptyNewsPortalFactory>, IAsyncLifetime
{
    private const string Title = "Markets <script>alert('title')</script> ]]> & <b>more</b>";
    private const string Body = "Prices <script>alert(1)</script> fell <img src=x onerror=alert(2)> and <![CDATA[ x ]]> rose. [a link](javascript:alert(3))";

    private static readonly HtmlParser Parser = new();

    private readonly HttpClient _client = factory.CreateClient();

    public async Task InitializeAsync()
        => await factory.AddArticleAsync(new ArticleBuilder().Titled(Title).WithParagraph(Body).InCategory("Markets").FromSource("Evil ]]> <i>Agency</i>"));

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Fails unless the HTML has no script, no event handler attribute and no javascript: link, and shows the raw HTML as text.</summary>
    private static void AssertInert(string html)
    {
        var body = Parser.ParseDocument($"<body>{html}</body>").Body!;
        var elements = body.QuerySelectorAll("*");

        Assert.Empty(body.QuerySelectorAll("script, img, iframe, object"));
        Assert.DoesNotContain(elements, e => e.Attributes.Any(a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase)));
        Assert.DoesNotContain(elements, e => e.GetAttribute("href")?.Contains("javascript:", StringComparison.OrdinalIgnoreCase) == true);
        Assert.Contains("<script>alert(1)</script>", body.TextContent);
    }

    [Fact]
    public async Task AtomFeed_IsWellFormedAndValid_WithTheTitleAsText_AndInertContent()
    {
        var xml = await _client.GetFeedAsync("/feed.atom");
        var entry = System.Xml.Linq.XDocument.Parse(xml).Root!.Element(Atom + "entry")!;

        await AtomSchema.AssertValidAsync(xml);
        Assert.Equal(Title, entry.Element(Atom + "title")!.Value);
        Assert.Equal("Evil ]]> <i>Agency</i>", entry.Element(Atom + "author")!.Element(Atom + "name")!.Value);
        Assert.Empty(entry.Element(Atom + "content")!.Elements());
        AssertInert(entry.Element(Atom + "content")!.Value);
    }

    [Fact]
    public async Task RssFeed_IsWellFormed_WithTheTitleAsText_AndInertDescription()
    {
        var feed = await _client.GetRssAsync("/categories/markets/feed.rss");
        var item = Assert.Single(feed.Items);

        Assert.Equal(Title, item.Title.Text);
        AssertInert(item.Summary.Text);
    }

    [Fact]
    public async Task JsonFeed_KeepsTheTitleAsText_AndInertContentHtml()
    {
        var json = await _client.GetFeedAsync("/feed.json");
        var item = System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("items")[0];

        Assert.Equal(Title, item.GetProperty("title").GetString());
        AssertInert(item.GetProperty("content_html").GetString()!);
        // Even the raw response holds no markup characters a careless embedder could run.
        Assert.DoesNotContain("<script", json, StringComparison.OrdinalIgnoreCase);
    }
}
