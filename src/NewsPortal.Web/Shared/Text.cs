using System.Text;

namespace NewsPortal.Web.Shared;

public static class Text
{
    /// <summary>
    /// The one rule for text entering the portal (forms, the API, imports, search, query strings) and leaving it in
    /// XML and JSON: Unicode NFC, without what carries no text and breaks normalization, XML or JSON writers:
    /// noncharacters (U+FFFE, U+FFFF, U+FDD0 to U+FDEF and the last two code points of every plane), unpaired
    /// surrogates, control characters other than tab and line ends, and the byte-order mark.
    /// </summary>
    public static string Clean(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        StringBuilder? kept = null;
        for (var i = 0; i < value.Length; i++)
        {
            var width = char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]) ? 2 : 1;
            var keep = width == 2
                ? (char.ConvertToUtf32(value[i], value[i + 1]) & 0xFFFE) != 0xFFFE
                : !char.IsSurrogate(value[i]) && !IsUnwanted(value[i]);
            if (keep)
            {
                kept?.Append(value, i, width);
            }
            else
            {
                kept ??= new StringBuilder(value.Length).Append(value, 0, i);
            }

            i += width - 1;
        }

        var clean = kept?.ToString() ?? value;
        return clean.IsNormalized(NormalizationForm.FormC) ? clean : clean.Normalize(NormalizationForm.FormC);
    }

    /// <summary>
    /// <see cref="string.Normalize(NormalizationForm)"/> that cannot throw: text stored before <see cref="Clean"/>
    /// existed may still hold what normalization refuses.
    /// </summary>
    public static string Normalize(string value, NormalizationForm form)
    {
        try
        {
            return value.Normalize(form);
        }
        catch (ArgumentException)
        {
            return Clean(value).Normalize(form);
        }
    }

    /// <summary>A line as <see cref="Line"/> makes it, or null when nothing visible is left: an optional field or filter left out.</summary>
    public static string? OptionalLine(string? value) => Line(value) is { Length: > 0 } line ? line : null;

    /// <summary>One line of clean text with its white space collapsed; empty when nothing in it is visible (only controls or zero-width characters).</summary>
    public static string Line(string? value) => CollapseWhitespace(Clean(value)) is var line && HasVisibleText(line) ? line : "";

    /// <summary>Whether the text has anything to see: not only white space and invisible format characters such as U+200B.</summary>
    public static bool HasVisibleText(string value)
        => value.Any(c => !char.IsWhiteSpace(c) && char.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.Format);

    private static bool IsUnwanted(char c)
        => c is '\uFEFF' or '\uFFFE' or '\uFFFF' or (>= '\uFDD0' and <= '\uFDEF') || (char.IsControl(c) && c is not '\t' and not '\n' and not '\r');

    /// <summary>Trims and turns every run of white space (including non-breaking spaces) into one space.</summary>
    public static string CollapseWhitespace(string value)
    {
        var builder = new StringBuilder(value.Length);
        var pendingSpace = false;
        foreach (var c in value)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>
    /// The text's first <paramref name="max"/> UTF-16 units, or one fewer where that would split a character in two
    /// (an emoji or any letter beyond the first 65,536 is two): half a character is not text, and PostgreSQL refused
    /// to store the ledes, audit entries and token names cut that way.
    /// </summary>
    public static string Cut(string value, int max)
        => value.Length <= max ? value : value[..(max > 0 && char.IsHighSurrogate(value[max - 1]) ? max - 1 : max)];

    /// <summary>Shortens text to at most <paramref name="max"/> characters at a word boundary, ending with an ellipsis when cut.</summary>
    public static string TrimToLength(string value, int max)
    {
        if (value.Length <= max)
        {
            return value;
        }

        var cut = Cut(value, max - 1);
        var lastSpace = cut.LastIndexOf(' ');
        if (lastSpace > max / 2)
        {
            cut = cut[..lastSpace];
        }

        return cut.TrimEnd(' ', ',', ';', ':', '-', '–', '—') + "…";
    }

    /// <summary>
    /// A lede as a listing shows it under its headline: without the headline's words when it opens with them (most of
    /// the corpus's items do) as a whole sentence, and empty when what is left is only a credit in brackets, "(AP)". A
    /// lede that only starts with the headline's words ("Talks resume in Doha after…") is shown whole.
    /// </summary>
    public static string AfterHeadline(string title, string lede)
    {
        if (title.Length == 0 || !lede.StartsWith(title, StringComparison.Ordinal)
            || (lede.Length > title.Length && !SentenceEnds(title[^1]) && !SentenceEnds(lede[title.Length])))
        {
            return lede;
        }

        var rest = lede[title.Length..].TrimStart('.', '!', '?', '…').Trim();
        return OnlyCredits(rest) ? "" : rest;
    }

    private static bool SentenceEnds(char c) => c is '.' or '!' or '?' or '…' or '"' or '”' or '’' or ')';

    /// <summary>Whether the text is nothing but bracketed credits, such as "(AP)" or "(The Times of Israel) (JFeed)".</summary>
    private static bool OnlyCredits(string text)
    {
        var rest = text.AsSpan().Trim();
        while (rest.Length > 0)
        {
            var close = rest.IndexOf(')');
            if (rest[0] != '(' || close < 0)
            {
                return false;
            }

            rest = rest[(close + 1)..].TrimStart();
        }

        return text.Length > 0;
    }

    /// <summary>Words as an editor counts them: runs of letters or digits.</summary>
    public static int WordCount(string text)
    {
        var words = 0;
        var inWord = false;
        foreach (var c in text)
        {
            var letter = char.IsLetterOrDigit(c);
            words += letter && !inWord ? 1 : 0;
            inWord = letter;
        }

        return words;
    }

    /// <summary>A count as readers read it, "1,234 stories", whatever the server's language.</summary>
    public static string Counted(long count, string one, string many)
        => $"{count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} {(count == 1 ? one : many)}";
}
