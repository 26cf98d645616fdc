using System.Globalization;
using System.Text;

namespace NewsPortal.Web.Articles;

/// <summary>
/// Whether two stories are probably one event reported twice (by two agencies, or imported twice): published within
/// two days of each other, and either the same original link once tracking and spelling of the address are set aside
/// (but not two places on one page, such as a live page's entries), or headlines sharing most of their words, or
/// headline and lede together sharing most of theirs. Words are compared as sets, numbers included ("kills 20" and
/// "kills 12" are two stories), common words left out.
/// </summary>
public static class NearDuplicates
{
    /// <summary>How far apart in days two reports of one event may be published.</summary>
    public const int WindowDays = 2;

    // Chosen on headlines of agencies reporting one event ("Putin, Zelensky to meet in Istanbul, Kremlin says" and
    // "Kremlin: Putin and Zelensky will meet in Istanbul" share 5 of 6 words) against follow-ups on one subject
    // ("Israeli strike kills 20 in Gaza City" and "... kills 12 in Khan Younis" share 3 of 9). On the corpus (one item
    // per event, 10,252 of them), half the words of headline and first paragraph together still paired different
    // events (airstrikes on two towns); at three fifths, the pairs left are reports of one event and its updates.
    private const double HeadlineOverlap = 0.7;
    private const double TextOverlap = 0.6;
    private const int MinHeadlineWords = 4;

    /// <summary>A story as the comparison needs it.</summary>
    public sealed record Story(string Title, string Lede, string? OriginalUrl, DateOnly PublishedOn)
    {
        internal HashSet<string> TitleWords { get; } = Words(Title);

        internal HashSet<string> TextWords { get; } = Words(Title + " " + Lede);

        internal Link? Url { get; } = LinkOf(OriginalUrl);
    }

    /// <summary>
    /// An address as one story is linked from many places (<c>Key</c>: no scheme, no "www." or "m.", no
    /// fragment, no trailing slash, no tracking parameters), and the place on the page it points to (<c>Place</c>: its
    /// fragment, or null for none; a browser's highlighted text, <c>#:~:text=</c>, added when a reader shares a
    /// passage, is no place).
    /// </summary>
    internal sealed record Link(string Key, string? Place);

    public static bool AreLikely(Story a, Story b)
    {
        if (Math.Abs(a.PublishedOn.DayNumber - b.PublishedOn.DayNumber) > WindowDays)
        {
            return false;
        }

        // A page and a place on it ("#top") are one link; two places on one page (a live page's or a day's entries,
        // "#entry-15" and "#entry-16") are two stories, told apart by their words like any others.
        if (a.Url is { } first && b.Url is { } second && first.Key == second.Key
            && (first.Place is null || second.Place is null || first.Place == second.Place))
        {
            return true;
        }

        return a.TitleWords.Count >= MinHeadlineWords && b.TitleWords.Count >= MinHeadlineWords
            && (Overlap(a.TitleWords, b.TitleWords) >= HeadlineOverlap || Overlap(a.TextWords, b.TextWords) >= TextOverlap);
    }

    /// <summary>The <see cref="Link"/> of an address; null for none (an import's "#") or one that is not on the web.</summary>
    private static Link? LinkOf(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return null;
        }

        var host = uri.IdnHost.ToLowerInvariant();
        foreach (var prefix in (string[])["www.", "m.", "amp."])
        {
            if (host.StartsWith(prefix, StringComparison.Ordinal))
            {
                host = host[prefix.Length..];
            }
        }

        var query = uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !IsTracking(p.Split('=')[0]))
            .Order(StringComparer.Ordinal);
        var parameters = string.Join('&', query);
        var place = uri.Fragment.TrimStart('#');
        var directive = place.IndexOf(":~:", StringComparison.Ordinal);
        place = directive >= 0 ? place[..directive] : place;
        return new Link(host + uri.AbsolutePath.TrimEnd('/') + (parameters.Length > 0 ? "?" + parameters : ""), place.Length > 0 ? place : null);
    }

    private static bool IsTracking(string name)
        => name.StartsWith("utm_", StringComparison.OrdinalIgnoreCase)
            || name.Equals("fbclid", StringComparison.OrdinalIgnoreCase)
            || name.Equals("gclid", StringComparison.OrdinalIgnoreCase)
            || name.Equals("ref", StringComparison.OrdinalIgnoreCase)
            || name.Equals("cmpid", StringComparison.OrdinalIgnoreCase)
            || name.Equals("ocid", StringComparison.OrdinalIgnoreCase);

    private static double Overlap(HashSet<string> a, HashSet<string> b)
    {
        if (a.Count == 0 || b.Count == 0)
        {
            return 0;
        }

        var shared = a.Count <= b.Count ? a.Count(b.Contains) : b.Count(a.Contains);
        return (double)shared / (a.Count + b.Count - shared);
    }

    /// <summary>
    /// The words that tell stories apart: letters and digits in lower case without accents, common words left out;
    /// an apostrophe ends a word, so "Chile's" is "Chile".
    /// </summary>
    public static HashSet<string> Words(string text)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        var word = new StringBuilder();
        void Flush()
        {
            if (word.Length > 0)
            {
                var w = word.ToString();
                if ((w.Length > 2 || char.IsAsciiDigit(w[0])) && !Common.Contains(w))
                {
                    words.Add(w);
                }

                word.Clear();
            }
        }

        foreach (var c in Shared.Text.Normalize(text, NormalizationForm.FormD))
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                Flush();
            }
        }

        Flush();
        return words;
    }

    private static readonly HashSet<string> Common = new(StringComparer.Ordinal)
    {
        "the", "and", "for", "with", "from", "that", "this", "was", "were", "are", "has", "have", "had", "will", "would",
        "its", "his", "her", "their", "they", "after", "over", "into", "about", "says", "said", "say", "amid", "but",
        "not", "new", "more", "than", "who", "which", "what", "when", "where", "out", "off", "also", "been", "being",
        "des", "der", "die", "das", "und", "les", "del", "los", "las", "una", "por", "para", "con",
    };
}
