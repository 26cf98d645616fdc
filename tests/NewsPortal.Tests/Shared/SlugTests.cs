using NewsPortal.Web.Shared;

namespace NewsPortal.Tests.Shared;

public sealed class SlugTests
{
    [Theory]
    [InlineData("Türkiye", "turkiye")]
    [InlineData("Russia, Ukraine resume peace talks in Istanbul after three years", "russia-ukraine-resume-peace-talks-in-istanbul-after-three-years")]
    [InlineData("Türkiye's İstanbul: Çırağan Palace", "turkiyes-istanbul-ciragan-palace")]
    [InlineData("Straße in Łódź", "strasse-in-lodz")]
    [InlineData("  --Hello,   World!--  ", "hello-world")]
    [InlineData("Новости Киева", "новости-киева")]
    public void From_KeepsSlugsReadable(string text, string expected)
    {
        Assert.Equal(expected, Slug.From(text));
    }

    [Fact]
    public void From_TextWithNoLettersOrDigits_UsesTheFallback()
    {
        Assert.Equal("article", Slug.From("!!! ???", "article"));
    }

    [Fact]
    public void From_LongTitle_IsCutAtAWordBoundary()
    {
        var slug = Slug.From(string.Join(' ', Enumerable.Repeat("headline", 30)));

        Assert.True(slug.Length <= Slug.MaxLength);
        Assert.EndsWith("headline", slug);
    }

}
