using NewsPortal.Web.Shared;

namespace NewsPortal.Tests.Shared;

/// <summary>Text stored before the write paths refused what Markdig cannot render is still shown, as plain text, never an error.</summary>
public sealed class MarkdownRendererTests
{
    private readonly MarkdownRenderer _renderer = new();

    public static TheoryData<string, string> Hostile => new()
    {
        { "quotes", new string('>', 130) + " deep" },
        { "emphasis", new string('*', 1000) + "x" + new string('*', 1000) },
        { "brackets", new string('[', 400) + " words" },
        { "unclosed links", string.Concat(Enumerable.Repeat("[x](", 60_000)) },
        { "headings", string.Concat(Enumerable.Repeat("# a\n", 60_000)) },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void ABodyTheWritePathsRefuse_IsRenderedAsPlainParagraphs(string kind, string body)
    {
        var html = _renderer.ToHtml(body);

        Assert.True(MarkdownRenderer.ProblemWith(body) is not null, $"the write paths take the {kind}");
        Assert.StartsWith("<p>", html, StringComparison.Ordinal);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(body[..20]), html, StringComparison.Ordinal);
        Assert.NotNull(_renderer.PlainText(body));
        Assert.NotNull(_renderer.Lede(body, 300));
    }

    [Fact]
    public void LinkReferenceDefinitions_AreLeftOutOfThePlainText()
    {
        var text = _renderer.PlainText("See [the report][r].\n\n[r]: https://example.org/report");

        Assert.Equal("See the report.", text);
    }

    [Fact]
    public void ABracketThatOpensNoLink_StaysInThePlainTextTheLedeAndTheHeadline()
    {
        const string markdown = "Talks in Gaza[Reuters say";

        Assert.Equal(markdown, _renderer.PlainText(markdown));
        Assert.Equal(markdown, _renderer.Lede(markdown, 100));
        Assert.Equal(markdown, MarkdownRenderer.LineText(markdown));
        Assert.Contains("Gaza[Reuters", _renderer.ToHtml(markdown));
    }

    [Fact]
    public void AnOrdinaryStory_PassesAndRendersAsMarkdown()
    {
        const string Body = "ISTANBUL – Talks *resumed* on [Monday](https://example.org).\n\n- one\n- two";

        Assert.Null(MarkdownRenderer.ProblemWith(Body));
        Assert.Contains("<em>resumed</em>", _renderer.ToHtml(Body), StringComparison.Ordinal);
    }
}
