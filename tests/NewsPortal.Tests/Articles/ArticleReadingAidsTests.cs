using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Shared;

namespace NewsPortal.Tests.Articles;

/// <summary>The clock stands at 1 March 2026, so the Istanbul report (2 June 2025) is nine months old.</summary>
public sealed class ArticleReadingAidsTests(EditorialFactory factory) : IClassFixture<EditorialFactory>
{
    [Fact]
    public async Task ArticlePage_ShowsHowLongAgo_WithTheExactDateOnHover_AndTheReadingTime()
    {
        var page = await factory.CreateClient().GetDocumentAsync($"/articles/{Seed.Slug}");

        var age = page.QuerySelector(".story .age")!;
        Assert.Equal("9 months ago", age.TextContent.Trim());
        Assert.Equal("Published 2 June 2025", age.GetAttribute("title"));
        Assert.Equal("2 min read", page.TextOf(".story .reading-time"));
    }

    [Fact]
    public async Task ArticlePage_LinksTheNewerAndOlderStoryInItsCategory()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Earlier atlas story").InCategory("Atlas").PublishedOn(2025, 1, 1));
        var middle = await factory.AddArticleAsync(new ArticleBuilder().Titled("Middle atlas story").InCategory("Atlas").PublishedOn(2025, 2, 1));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Later atlas story").InCategory("Atlas").PublishedOn(2025, 3, 1));

        var page = await factory.CreateClient().GetDocumentAsync($"/articles/{middle}");

        Assert.Equal("/articles/later-atlas-story", page.QuerySelector(".neighbours a[rel=prev]")!.GetAttribute("href"));
        Assert.Equal("/articles/earlier-atlas-story", page.QuerySelector(".neighbours a[rel=next]")!.GetAttribute("href"));
        Assert.Equal("More in Atlas", page.TextOf(".neighbours p").Normalized());
    }

    [Theory]
    [InlineData(2026, 3, 1, "today")]
    [InlineData(2026, 2, 28, "yesterday")]
    [InlineData(2026, 2, 20, "9 days ago")]
    [InlineData(2026, 1, 15, "a month ago")]
    [InlineData(2025, 6, 2, "9 months ago")]
    [InlineData(2025, 1, 1, "a year ago")]
    [InlineData(2021, 3, 1, "5 years ago")]
    [InlineData(2026, 4, 1, "upcoming")]
    public void Ago_SaysHowLongAgoInWords(int year, int month, int day, string expected)
    {
        Assert.Equal(expected, new DateOnly(year, month, day).Ago(new DateOnly(2026, 3, 1)));
    }
}
