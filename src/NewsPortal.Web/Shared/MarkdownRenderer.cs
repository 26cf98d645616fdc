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

    /// <summary>Renders untrusted Markdown to safe HTML, opening the first paragraph with the dateline when there is one.</summary>
    public string ToHtml(string markdown, string? dateline = null)
    {
        var html = _sanitizer.Value.Sanitize(Markdown.ToHtml(markdown, Pipeline));
        if (string.IsNullOrWhiteSpace(dateline))
        {
            return html;
        }

        var lead = $"<span class=\"dateline\">{WebUtility.HtmlEncode(dateline)} –</span> ";
        return html.StartsWith("<p>", StringComparison.Ordinal) ? html.Insert(3, lead) : $"<p>{lead}</p>\n{html}";
    }

    /// <summary>The first paragraph as plain text, trimmed to <paramref name="maxLength"/> characters.</summary>
    public string Lede(string markdown, int maxLength)
    {
        var firstParagraph = markdown.Replace("\r\n", "\n", StringComparison.Ordinal)
            .Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault() ?? "";
        // Walking the parsed inlines is several times quicker than rendering plain text, and imports do this per story.
        var plain = new StringBuilder(firstParagraph.Length);
        foreach (var inline in Markdown.Parse(firstParagraph, Pipeline).Descendants<Inline>())
        {
            AppendText(plain, inline);
        }

        return Text.TrimToLength(Text.CollapseWhitespace(plain.ToString()), maxLength);
    }

    /// <summary>
    /// A line of Markdown (a headline) as the text a reader sees: "*Il Foglio* reporter" is "Il Foglio reporter", a
    /// link is its words. A line that is Markdown syntax and nothing else ("---") is kept as it is.
    /// </summary>
    public static string LineText(string markdown)
    {
        var plain = new StringBuilder(markdown.Length);
        foreach (var block in Markdown.Parse(markdown, Pipeline).Descendants<LeafBlock>())
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
        var plain = new StringBuilder(markdown.Length);
        foreach (var block in Markdown.Parse(markdown, Pipeline).Descendants<LeafBlock>())
        {
            if (block.Inline is null)
            {
                // Code blocks and the like keep their lines as they are.
                foreach (var line in block.Lines.Lines.Take(block.Lines.Count))
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
