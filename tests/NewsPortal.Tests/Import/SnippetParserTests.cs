using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Import;

namespace NewsPortal.Tests.Import;

public sealed class SnippetParserTests
{
    private static SnippetDocument ParseSeed()
    {
        var result = SnippetParser.Parse(Seed.Text, Seed.FileName);
        Assert.True(result.Succeeded, string.Join('\n', result.Problems));
        return result.Document!;
    }

    private static SnippetDocument ParseValid(string text)
    {
        var result = SnippetParser.Parse(text, "test.txt");
        Assert.True(result.Succeeded, string.Join('\n', result.Problems));
        return result.Document!;
    }

    private static ImportProblem ParseInvalid(string text)
    {
        var result = SnippetParser.Parse(text, "bad.txt");
        Assert.False(result.Succeeded);
        return Assert.Single(result.Problems);
    }

    [Fact]
    public void Seed_ReadsTitleAndDates()
    {
        var seed = ParseSeed();

        Assert.Equal(Seed.Title, seed.Title);
        Assert.Equal(new DateOnly(2025, 6, 2), seed.PublishedOn);
        Assert.Equal(new DateTime(2026, 3, 28, 8, 51, 11), seed.DocumentDate);
    }

    [Fact]
    public void Seed_ReadsCategoriesWithEnglishAlsoAsTheLanguage()
    {
        var seed = ParseSeed();

        Assert.Equal(["English", "International", "Snippets"], seed.Categories);
        Assert.Equal("en", seed.Language);
    }

    [Fact]
    public void Seed_ReadsHashLinkAsNoOriginalUrl_AndTheSiteAndSource()
    {
        var seed = ParseSeed();

        Assert.Null(seed.OriginalUrl);
        Assert.Equal("rki.news", seed.Site);
        Assert.Equal(["Anadolu Agency"], seed.Sources);
    }

    [Fact]
    public void Seed_SplitsTheDatelineFromTheFirstParagraph()
    {
        var seed = ParseSeed();

        Assert.Equal("ISTANBUL", seed.Dateline);
        Assert.StartsWith("Russia and Ukraine have resumed peace negotiations in Istanbul", seed.Paragraphs[0]);
    }

    [Fact]
    public void Seed_JoinsTheParagraphBrokenMidSentence()
    {
        var seed = ParseSeed();

        Assert.Equal(7, seed.Paragraphs.Count);
        Assert.Contains("are being chaired by Turkish Foreign Minister Hakan Fidan. High-level officials", seed.Paragraphs[1]);
        Assert.EndsWith("ending the ongoing conflict.", seed.Paragraphs[^1]);
    }

    [Fact]
    public void CrlfLineEndsAndAByteOrderMark_ReadTheSameAsTheSeed()
    {
        var windows = "\uFEFF" + Seed.Text.Replace("\r\n", "\n").Replace("\n", "\r\n");

        var seed = ParseSeed();
        var parsed = ParseValid(windows);

        Assert.Equal(seed.Title, parsed.Title);
        Assert.Equal(seed.DocumentDate, parsed.DocumentDate);
        Assert.Equal(seed.Categories, parsed.Categories);
        Assert.Equal(seed.Sources, parsed.Sources);
        Assert.Equal(seed.Site, parsed.Site);
        Assert.Equal(seed.Dateline, parsed.Dateline);
        Assert.Equal(seed.Paragraphs, parsed.Paragraphs);
    }

    [Fact]
    public void RealLink_IsKeptAsTheOriginalUrl()
    {
        var snippet = ParseValid("Title\n\nPublished on 2 June 2025\n\nShow on website : [Click Here](https://rki.news/story/1)\n\nBody text.");

        Assert.Equal("https://rki.news/story/1", snippet.OriginalUrl);
    }

    [Fact]
    public void ScriptLink_IsRefusedWithItsLineNumber()
    {
        var problem = ParseInvalid("Title\n\nPublished on 2 June 2025\n\nShow on website : [x](javascript:alert(1))\n\nBody text.");

        Assert.Equal(5, problem.Line);
        Assert.Contains("not an http or https address", problem.Reason);
    }

    [Theory]
    [InlineData("June 2, 2025")]
    [InlineData("2 June 2025")]
    [InlineData("2025-06-02")]
    [InlineData("Jun 2, 2025")]
    [InlineData("Monday, June 2, 2025")]
    public void PublishedDate_AcceptsCommonSpellings(string date)
    {
        Assert.Equal(new DateOnly(2025, 6, 2), ParseValid($"Title\n\nPublished on {date}\n\nBody.").PublishedOn);
    }

    [Fact]
    public void MissingPublishedDate_IsRefusedAtTheLineWhereTheStoryBegins()
    {
        var problem = ParseInvalid("Title\n\nrki.news\n\nThe story text.");

        Assert.Equal(5, problem.Line);
        Assert.Contains("no 'Published on' date", problem.Reason);
        Assert.Equal("bad.txt:5: no 'Published on' date before the story begins", problem.ToString());
    }

    [Fact]
    public void DateThatDoesNotExist_IsRefusedWithItsLineNumber()
    {
        var problem = ParseInvalid("Title\n\nPublished on February 30, 2025\n\nBody.");

        Assert.Equal(3, problem.Line);
        Assert.Contains("'February 30, 2025' is not a real date", problem.Reason);
    }

    [Fact]
    public void MissingBody_IsRefused()
    {
        var problem = ParseInvalid("Title\n\nPublished on June 2, 2025\n\nSources Reuters\n\n\n");

        Assert.Contains("no body text", problem.Reason);
    }

    [Fact]
    public void EmptyFile_IsRefused()
    {
        Assert.Contains("empty", ParseInvalid("\n\n  \n").Reason);
    }
}
