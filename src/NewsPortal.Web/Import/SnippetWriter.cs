using System.Globalization;
using System.Text;

namespace NewsPortal.Web.Import;

/// <summary>Writes a story in the snippet text format, laid out like the seed, so <see cref="SnippetParser"/> reads it back whole.</summary>
public static class SnippetWriter
{
    public static string Write(SnippetDocument document)
    {
        var text = new StringBuilder();
        text.Append(document.Title).Append("\n\n");
        text.Append("Published on ").Append(document.PublishedOn.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture)).Append("\n\n");
        if (document.DocumentDate is { } documentDate)
        {
            // The seed's own spelling: "Sat, Mar 28 2026 08:51:11 am".
            text.Append("Document Date: ")
                .Append(documentDate.ToString("ddd, MMM d yyyy hh:mm:ss", CultureInfo.InvariantCulture))
                .Append(documentDate.Hour < 12 ? " am" : " pm")
                .Append("\n\n");
        }

        if (document.Categories.Count > 0)
        {
            text.Append("Category: ").AppendJoin(", ", document.Categories.Select(SnippetParser.QuoteCategory)).Append("\n\n");
        }

        if (document.Language is { } language)
        {
            text.Append("Language: ").Append(language).Append("\n\n");
        }

        text.Append("Show on website : [Click Here](").Append(document.OriginalUrl ?? "#").Append(")\n\n");
        if (document.Site is { } site)
        {
            text.Append("Site: ").Append(site).Append("\n\n");
        }

        if (document.ImageUrl is { } image)
        {
            text.Append("Image: ").Append(image).Append("\n\n");
        }

        if (document.ImageAlt is { } alt)
        {
            text.Append("Image alt: ").Append(alt).Append("\n\n");
        }

        if (document.Thread is { } thread)
        {
            text.Append("Topics: ").Append(SnippetParser.QuoteTopic(thread)).Append("\n\n");
        }

        if (document.Sources.Count > 0)
        {
            text.Append("Sources ").AppendJoin(", ", document.Sources.Select(SnippetParser.QuoteSource)).Append("\n\n");
        }

        if (document.Dateline is { } dateline)
        {
            text.Append(dateline).Append(" – ");
        }

        // Two paragraphs the reader would take for one sentence broken across them are kept apart by two blank lines.
        var paragraphs = document.Body.Split("\n\n");
        text.Append(paragraphs[0]);
        for (var i = 1; i < paragraphs.Length; i++)
        {
            text.Append(SnippetParser.WouldJoin(paragraphs[i - 1].Trim(), paragraphs[i].Trim()) ? "\n\n\n" : "\n\n").Append(paragraphs[i]);
        }

        return text.Append('\n').ToString();
    }
}
