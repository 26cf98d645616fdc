using System.Net;
using NewsPortal.Tests.Infrastructure;

namespace NewsPortal.Tests.Articles;

/// <summary>45 stories on consecutive days, so the listings have three pages of 20, 20 and 5.</summary>
public sealed class PagingFixture : EmptyNewsPortalFactory, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        for (var day = 1; day <= 45; day++)
        {
            await AddArticleAsync(new ArticleBuilder()
                .Titled($"Story number {day}")
                .PublishedOn(2026, 1, 1).WithDocumentDate(new DateTime(2026, 1, 1).AddHours(day))
                .InCategory("Business")
                .FromSource("Reuters"));
        }
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
}

public sealed class PagingTests(PagingFixture factory) : IClassFixture<PagingFixture>
{
    private readonly HttpClient _client = factory.CreatePlainClient();

    [Theory]
    [InlineData("/")]
    [InlineData("/categories/business")]
    [InlineData("/sources/reuters")]
    public async Task FirstPage_ShowsTwentyNewestFirst_WithOnlyANextLink(string listing)
    {
        var page = await _client.GetDocumentAsync(listing);

        var titles = page.TextsOf(".headlines h2");
        Assert.Equal(20, titles.Length);
        Assert.Equal("Story number 45", titles[0]);
        Assert.Equal("Story number 26", titles[19]);
        Assert.Null(page.QuerySelector(".pager a[rel=prev]"));
        Assert.Equal("?page=2", page.QuerySelector(".pager a[rel=next]")!.GetAttribute("href"));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/categories/business")]
    [InlineData("/sources/reuters")]
    public async Task MiddlePage_ShowsTheNextTwenty_WithPreviousAndNextLinks(string listing)
    {
        var page = await _client.GetDocumentAsync($"{listing}?page=2");

        var titles = page.TextsOf(".headlines h2");
        Assert.Equal(20, titles.Length);
        Assert.Equal("Story number 25", titles[0]);
        Assert.NotNull(page.QuerySelector(".pager a[rel=prev]"));
        Assert.Equal("?page=3", page.QuerySelector(".pager a[rel=next]")!.GetAttribute("href"));
        Assert.Contains("page 2", page.Title, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task LastPage_ShowsTheRemainder_WithNoNextLink()
    {
        var page = await _client.GetDocumentAsync("/?page=3");

        Assert.Equal(["Story number 5", "Story number 4", "Story number 3", "Story number 2", "Story number 1"], page.TextsOf(".headlines h2"));
        Assert.Null(page.QuerySelector(".pager a[rel=next]"));
        Assert.Equal("?page=2", page.QuerySelector(".pager a[rel=prev]")!.GetAttribute("href"));
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
    [InlineData("/?page=0", "/")]
    [InlineData("/?page=-1", "/")]
    [InlineData("/?page=1000000000000", "/?page=3")]
    [InlineData("/?page=99999999999999999999999", "/?page=3")]
    [InlineData("/categories/business?page=4", "/categories/business?page=3")]
    [InlineData("/sources/reuters?page=0", "/sources/reuters")]
    public async Task OutOfRangePage_RedirectsToTheNearestPage(string url, string expectedLocation)
    {
        using var response = await _client.GetAsync(url);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expectedLocation, response.Headers.Location?.OriginalString);
    }
}
