using System.Net;
using NewsPortal.Tests.Infrastructure;

namespace NewsPortal.Tests.Articles;

/// <summary>45 stories an hour apart on one day, so the listings have three pages of 20, 20 and 5.</summary>
public sealed class PagingFixture : EmptyNewsPortalFactory, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        for (var hour = 1; hour <= 45; hour++)
        {
            await AddArticleAsync(new ArticleBuilder()
                .Titled($"Story number {hour}")
                .PublishedOn(2026, 1, 1).WithDocumentDate(new DateTime(2026, 1, 1).AddHours(hour))
                .InCategory("Business")
                .FromSource("Reuters"));
        }
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
}

public sealed class PagingTests(PagingFixture factory) : IClassFixture<PagingFixture>
{
    private readonly HttpClient _client = factory.CreatePlainClient();

    public static TheoryData<string> Listings => ["/", "/categories/business", "/sources/reuters", "/languages/en", "/archive/2026/01"];

    [Theory]
    [MemberData(nameof(Listings))]
    public async Task FirstPage_ShowsTwentyNewestFirst_WithOnlyAnOlderLink(string listing)
    {
        var page = await _client.GetDocumentAsync(listing);

        var titles = page.TextsOf(".headlines h2");
        Assert.Equal(20, titles.Length);
        Assert.Equal("Story number 45", titles[0]);
        Assert.Equal("Story number 26", titles[19]);
        Assert.Null(page.QuerySelector(".pager a[rel=prev]"));
        Assert.StartsWith("?before=", page.QuerySelector(".pager a[rel=next]")!.GetAttribute("href"));
    }

    [Theory]
    [MemberData(nameof(Listings))]
    public async Task OlderLink_ShowsTheNextTwenty_WithANewerLinkBackToTheFirstPage(string listing)
    {
        var first = await _client.GetDocumentAsync(listing);
        var second = await _client.GetDocumentAsync(listing + Older(first));

        var titles = second.TextsOf(".headlines h2");
        Assert.Equal(20, titles.Length);
        Assert.Equal("Story number 25", titles[0]);
        Assert.Equal("Story number 6", titles[19]);
        Assert.Equal("?", second.QuerySelector(".pager a[rel=prev]")!.GetAttribute("href"));
        Assert.StartsWith("?before=", Older(second));
        Assert.EndsWith("1 January 2026 and earlier · NewsPortal", second.Title);
    }

    [Fact]
    public async Task LastPage_ShowsTheRemainder_WithNoOlderLink_AndItsNewerLinkLeadsBack()
    {
        var first = await _client.GetDocumentAsync("/");
        var second = await _client.GetDocumentAsync("/" + Older(first));
        var third = await _client.GetDocumentAsync("/" + Older(second));
        var newer = third.QuerySelector(".pager a[rel=prev]")!.GetAttribute("href")!;
        var backToSecond = await _client.GetDocumentAsync("/" + newer);

        Assert.Equal(["Story number 5", "Story number 4", "Story number 3", "Story number 2", "Story number 1"], third.TextsOf(".headlines h2"));
        Assert.Null(third.QuerySelector(".pager a[rel=next]"));
        Assert.StartsWith("?after=", newer);
        Assert.Equal(second.TextsOf(".headlines h2"), backToSecond.TextsOf(".headlines h2"));
        Assert.Equal(Older(second), Older(backToSecond));
    }

    [Theory]
    [InlineData("/?page=abc")]
    [InlineData("/?page=1.5")]
    [InlineData("/categories/business?page=two")]
    [InlineData("/sources/reuters?page=%00")]
    public async Task NonNumericPage_Answers400WithAMessage(string url)
    {
        var page = await _client.GetDocumentAsync(url, expectedStatus: 400);

        Assert.Contains("page number must be a whole number", page.TextOf("main"));
    }

    [Theory]
    [InlineData("/?before=abc")]
    [InlineData("/?after=12")]
    [InlineData("/categories/business?before=1.2.3")]
    [InlineData("/?before=1.2&after=3.4")]
    [InlineData("/?before=99999999999999999999.1")]
    public async Task ChangedPosition_Answers400WithAMessage(string url)
    {
        var page = await _client.GetDocumentAsync(url, expectedStatus: 400);

        Assert.Contains("not a position in this listing", page.TextOf("main"));
    }

    [Fact]
    public async Task PositionPastTheEnd_ShowsNoStories_AndLeadsBackToTheStart()
    {
        var page = await _client.GetDocumentAsync("/?before=1.1");

        Assert.Empty(page.TextsOf(".headlines h2"));
        Assert.Equal("?", page.QuerySelector(".pager a[rel=prev]")!.GetAttribute("href"));
    }

    [Theory]
    [InlineData("/?page=2", "Story number 25")]
    [InlineData("/?page=3", "Story number 5")]
    [InlineData("/categories/business?page=2", "Story number 25")]
    [InlineData("/?page=1000000000000", "Story number 20")]
    [InlineData("/?page=99999999999999999999999", "Story number 20")]
    [InlineData("/sources/reuters?page=4", "Story number 20")]
    public async Task OldPageNumbers_RedirectToThatPage_OrPastTheEndToTheLastPage(string url, string firstTitle)
    {
        using var response = await _client.GetAsync(url);
        var location = response.Headers.Location!.OriginalString;
        var page = await _client.GetDocumentAsync(location);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(url.Split('?')[0], location.Split('?')[0]);
        Assert.StartsWith("before=", location.Split('?')[1]);
        Assert.Equal(firstTitle, page.TextsOf(".headlines h2")[0]);
    }

    [Theory]
    [InlineData("/?page=1", "/")]
    [InlineData("/?page=0", "/")]
    [InlineData("/?page=-1", "/")]
    [InlineData("/sources/reuters?page=0", "/sources/reuters")]
    public async Task OldFirstPageNumbers_RedirectToTheListing(string url, string expectedLocation)
    {
        using var response = await _client.GetAsync(url);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expectedLocation, response.Headers.Location?.OriginalString);
    }

    private static string Older(AngleSharp.Dom.IDocument page) => page.QuerySelector(".pager a[rel=next]")!.GetAttribute("href")!;
}

/// <summary>Ninety stories, some sharing a day and time, so the walk must break ties by id.</summary>
public sealed class KeysetWalkFixture : EmptyNewsPortalFactory, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        for (var i = 0; i < 90; i++)
        {
            var builder = new ArticleBuilder().Titled($"Walked story {i:D2}").PublishedOn(2025, 3, 1 + (i / 10));
            await AddArticleAsync(i % 3 == 0 ? builder : builder.WithDocumentDate(new DateTime(2025, 3, 1 + (i / 10), 9, 0, 0)));
        }
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
}

public sealed class KeysetWalkTests(KeysetWalkFixture factory) : IClassFixture<KeysetWalkFixture>
{
    [Fact]
    public async Task WalkingOlderFromTheHomePage_VisitsEveryStoryOnce_WhileNewOnesArePublished()
    {
        var client = factory.CreatePlainClient();
        var before = await factory.WithDbAsync(db => Task.FromResult(db.Articles.Count(a => a.Listed)));
        var seen = new List<string>();
        string? url = "/";
        var published = 0;
        while (url is not null)
        {
            var page = await client.GetDocumentAsync(url);
            seen.AddRange(page.TextsOf(".headlines h2"));

            // A breaking story arrives between every two pages, at the top of the listing.
            await factory.AddArticleAsync(new ArticleBuilder().Titled($"Breaking story {published++}").PublishedOn(2026, 1, 1));
            url = page.QuerySelector(".pager a[rel=next]")?.GetAttribute("href") is { } older ? "/" + older : null;
        }

        var walked = seen.Where(t => t.StartsWith("Walked", StringComparison.Ordinal)).ToList();
        Assert.Equal(90, before);
        Assert.Equal(90, walked.Count);
        Assert.Equal(walked.Count, walked.Distinct().Count());
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(5, published);
    }
}
