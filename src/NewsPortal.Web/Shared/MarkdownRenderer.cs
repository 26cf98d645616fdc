using System.Net;
using System.Text;
using Ganss.Xss;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace NewsPortal.Web.Shared;

/// <summary>
/// The one place Markdown becomes HTML. Article text is untrusted, so raw HTML in the Markdown is
/// escaped rather than passed through, and the output goes through an HTML sanitiser as a second wall.
/// </summary>
public sealed class MarkdownRenderer
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UseAutoLinks()
        .UseEmphasisExtras()
        .UsePipeTables()
        .UseListExtras()
        .Build();

    // Made when first needed: building it loads AngleSharp's tables, which cost the site's start about a tenth of a
    // second before the first page, which needs no rendering (bodies are rendered when saved).
    private readonly Lazy<HtmlSanitizer> _sanitizer = new(CreateSanitizer);

    /// <summary>Links (<c>](</c>) a body may hold: Markdig matches an unclosed one against the rest of its paragraph, so their cost grows with their square.</summary>
    public const int MaxLinks = 1_000;

    /// <summary>Emphasis marks (<c>*</c>, <c>_</c>, <c>~</c>) a body may hold, for the same reason.</summary>
    public const int MaxEmphasisMarks = 5_000;

    /// <summary>Web addresses a body may hold (each becomes a link, at a cost that grows faster than their number).</summary>
    public const int MaxWebAddresses = 1_000;

    /// <summary>Table rows a body may hold, and cells a row: a table of 60,000 cells took 7 s to render.</summary>
    public const int MaxTableRows = 1_000;

    public const int MaxTableCells = 200;

    /// <summary>
    /// Blocks (paragraphs, headings, list items, table cells…) a body may hold: the HTML sanitiser's cost grows faster
    /// than their number (60,000 one-word headings took 4 s).
    /// </summary>
    public const int MaxBlocks = 5_000;

    /// <summary>
    /// Why Markdig could not render <paramref name="markdown"/> in bounded time, or null when it can: a sentence
    /// naming the limit, which every write path (form, API, import) reports. A body nested deeper than Markdig goes
    /// (quotes, lists, brackets or emphasis inside each other) is refused too; the renderer would show it as plain text.
    /// </summary>
    public static string? ProblemWith(string markdown)
    {
        if (TextProblem(markdown) is { } problem)
        {
            return problem;
        }

        const string TooDeep = "the body's Markdown is nested too deeply (quotes, lists, brackets or emphasis inside one another)";
        if (Parse(markdown) is not { } parsed)
        {
            return TooDeep;
        }

        if (TooManyBlocks(parsed))
        {
            return $"the body has more than {MaxBlocks:N0} paragraphs, headings, list items and table cells";
        }

        if (parsed.Descendants<Inline>().Count(i => i is LinkInline or AutolinkInline) > MaxLinks)
        {
            return $"the body has more than {MaxLinks:N0} links";
        }

        return Render(parsed) is null ? TooDeep : null;
    }

    /// <summary>What in the text alone would make Markdig slow (a pass over it, before any parsing), or null.</summary>
    private static string? TextProblem(ReadOnlySpan<char> span)
    {
        if (span.Count("](") > MaxLinks)
        {
            return $"the body has more than {MaxLinks:N0} links";
        }

        if (span.Count('*') + span.Count('_') + span.Count('~') > MaxEmphasisMarks)
        {
            return $"the body has more than {MaxEmphasisMarks:N0} emphasis marks (*, _ or ~)";
        }

        if (span.Count("http") + span.Count("www.") > MaxWebAddresses)
        {
            return $"the body has more than {MaxWebAddresses:N0} web addresses";
        }

        var (rows, widest) = (0, 0);
        foreach (var line in span.EnumerateLines())
        {
            if (line.TrimStart().StartsWith('|'))
            {
                rows++;
                widest = Math.Max(widest, line.Count('|'));
            }
        }

        return rows > MaxTableRows || widest > MaxTableCells
            ? $"the body's tables have more than {MaxTableRows:N0} rows or a row more than {MaxTableCells} cells"
            : null;
    }

    /// <summary>
    /// Markdig's reading of text it can read in bounded time; null for text the write paths would refuse (see
    /// <see cref="ProblemWith"/>), stored before they did, which is then shown as plain text.
    /// </summary>
    private static MarkdownDocument? Readable(string markdown)
        => TextProblem(markdown) is null && Parse(markdown) is { } parsed && !TooManyBlocks(parsed) ? parsed : null;

    private static bool TooManyBlocks(MarkdownDocument parsed) => parsed.Descendants<Block>().Take(MaxBlocks + 1).Count() > MaxBlocks;

    /// <summary>Markdig's HTML for a parsed body, or null when its inlines nest beyond Markdig's depth limit.</summary>
    private static string? Render(MarkdownDocument parsed)
    {
        try
        {
            return parsed.ToHtml(Pipeline);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// Markdig's reading of <paramref name="markdown"/>, or null when it is nested beyond Markdig's depth limit (which
    /// it reports by throwing): text stored before <see cref="ProblemWith"/> existed is then shown as plain text.
    /// </summary>
    private static MarkdownDocument? Parse(string markdown)
    {
        try
        {
            return Markdown.Parse(markdown, Pipeline);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Renders untrusted Markdown to safe HTML, opening the first paragraph with the dateline when there is one.</summary>
    public string ToHtml(string markdown, string? dateline = null)
    {
        var html = Readable(markdown) is { } parsed && Render(parsed) is { } rendered ? _sanitizer.Value.Sanitize(rendered) : AsParagraphs(markdown);
        if (string.IsNullOrWhiteSpace(dateline))
        {
            return html;
        }

        var lead = $"<span class=\"dateline\">{WebUtility.HtmlEncode(dateline)} –</span> ";
        return html.StartsWith("<p>", StringComparison.Ordinal) ? html.Insert(3, lead) : $"<p>{lead}</p>\n{html}";
    }

    /// <summary>Text Markdig cannot read, as the paragraphs of plain text it is written in.</summary>
    private static string AsParagraphs(string text)
        => string.Join("\n", Paragraphs(text).Select(p => $"<p>{WebUtility.HtmlEncode(p)}</p>"));

    private static string[] Paragraphs(string text)
        => text.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The first paragraph as plain text, trimmed to <paramref name="maxLength"/> characters.</summary>
    public string Lede(string markdown, int maxLength)
    {
        var firstParagraph = Paragraphs(markdown).FirstOrDefault() ?? "";
        // Walking the parsed inlines is several times quicker than rendering plain text, and imports do this per story.
        var plain = new StringBuilder(firstParagraph.Length);
        if (Readable(firstParagraph) is not { } parsed)
        {
            plain.Append(firstParagraph);
        }
        else
        {
            foreach (var inline in parsed.Descendants<Inline>())
            {
                AppendText(plain, inline);
            }
        }

        return Text.TrimToLength(Text.CollapseWhitespace(plain.ToString()), maxLength);
    }

    /// <summary>
    /// A line of Markdown (a headline) as the text a reader sees: "*Il Foglio* reporter" is "Il Foglio reporter", a
    /// link is its words. A line that is Markdown syntax and nothing else ("---") is kept as it is.
    /// </summary>
    public static string LineText(string markdown)
    {
        if (Parse(markdown) is not { } parsed)
        {
            return markdown;
        }

        var plain = new StringBuilder(markdown.Length);
        foreach (var block in parsed.Descendants<LeafBlock>())
        {
            foreach (var inline in block.Inline?.Descendants<Inline>() ?? [])
            {
                AppendText(plain, inline);
            }

            plain.Append(' ');
        }

        var text = Text.CollapseWhitespace(plain.ToString()).Trim();
        return text.Length == 0 ? markdown : text;
    }

    /// <summary>
    /// The whole body as plain text, a line per block: link targets, emphasis and other Markdown left out, so the
    /// search index holds the words readers see and its excerpts read as text.
    /// </summary>
    public string PlainText(string markdown)
    {
        if (Readable(markdown) is not { } parsed)
        {
            return markdown;
        }

        var plain = new StringBuilder(markdown.Length);
        foreach (var block in parsed.Descendants<LeafBlock>())
        {
            if (block is LinkReferenceDefinition)
            {
                // "[a]: https://…" defines a link's target; readers never see it.
                continue;
            }

            if (block.Inline is null)
            {
                // Code blocks and the like keep their lines as they are.
                foreach (var line in block.Lines.Lines?.Take(block.Lines.Count) ?? [])
                {
                    plain.Append(line.Slice.AsSpan()).Append(' ');
                }
            }
            else
            {
                foreach (var inline in block.Inline.Descendants<Inline>())
                {
                    AppendText(plain, inline);
                }
            }

            plain.Append('\n');
        }

        return plain.ToString().TrimEnd();
    }

    private static void AppendText(StringBuilder text, Inline inline)
    {
        switch (inline)
        {
            case LiteralInline literal:
                text.Append(literal.Content.AsSpan());
                break;
            case CodeInline code:
                text.Append(code.Content);
                break;
            case HtmlEntityInline entity:
                text.Append(entity.Transcoded.AsSpan());
                break;
            case LineBreakInline:
                text.Append(' ');
                break;
            case AutolinkInline autolink:
                text.Append(autolink.Url);
                break;
            case DelimiterInline delimiter:
                // A "[" that opened no link stays a delimiter in the parsed tree, and the page shows it; left out,
                // "Gaza[Reuters" read as one word.
                text.Append(delimiter.ToLiteral());
                break;
        }
    }

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedSchemes.UnionWith(["http", "https", "mailto"]);
        sanitizer.PostProcessNode += (_, e) =>
        {
            // Links in stories point at other people's sites: don't pass on our reputation or our window.
            if (e.Node is AngleSharp.Dom.IElement { TagName: "A" } link)
            {
                link.SetAttribute("rel", "nofollow noopener noreferrer");
            }
        };
        return sanitizer;
    }
}
