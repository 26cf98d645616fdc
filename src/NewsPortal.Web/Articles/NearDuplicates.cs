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

    /// <summary>
    /// A story as the comparison needs it. Its words and link are worked out once, when first compared, and the story
    /// may be shared between requests (see <see cref="ComparedStories"/>): what it works out is set whole or not at
    /// all, so two requests comparing it at once at worst both work it out.
    /// </summary>
    public sealed class Story(string title, string lede, string? originalUrl, DateOnly publishedOn)
    {
        private static readonly Link NoLink = new("", null);
        private WordSet? _titleWords, _textWords;
        private Link? _url;

        public DateOnly PublishedOn { get; } = publishedOn;

        internal WordSet TitleWords => _titleWords ??= WordSet.Of(title);

        internal WordSet TextWords => _textWords ??= TitleWords.With(WordSet.Of(lede));

        internal Link? Url
        {
            get
            {
                var url = _url ??= LinkOf(originalUrl) ?? NoLink;
                return ReferenceEquals(url, NoLink) ? null : url;
            }
        }

        /// <summary>Whether this was worked out from the card's words, link and day (a story saved since is not).</summary>
        public bool IsOf(ArticleCard card)
            => card.PublishedOn == PublishedOn && string.Equals(card.Title, title, StringComparison.Ordinal)
                && string.Equals(card.Lede, lede, StringComparison.Ordinal) && string.Equals(card.OriginalUrl, originalUrl, StringComparison.Ordinal);
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
            && (a.TitleWords.SharesAtLeast(b.TitleWords, HeadlineOverlap) || a.TextWords.SharesAtLeast(b.TextWords, TextOverlap));
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

    /// <summary>
    /// The words that tell stories apart: letters and digits in lower case without accents, common words left out;
    /// an apostrophe ends a word, so "Chile's" is "Chile".
    /// </summary>
    public static HashSet<string> Words(string text)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        EachWord(text, word => words.Add(new string(word)));
        return words;
    }

    private delegate void WordFound(ReadOnlySpan<char> word);

    private static void EachWord(string text, WordFound found)
    {
        var normalized = Shared.Text.Normalize(text, NormalizationForm.FormD);
        Span<char> word = normalized.Length <= 256 ? stackalloc char[normalized.Length] : new char[normalized.Length];
        var length = 0;
        // One step past the end, which ends the last word as any separator does.
        for (var i = 0; i <= normalized.Length; i++)
        {
            var c = i < normalized.Length ? normalized[i] : ' ';
            if (char.IsLetterOrDigit(c))
            {
                word[length++] = char.ToLowerInvariant(c);
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark && length > 0)
            {
                var w = word[..length];
                if ((length > 2 || char.IsAsciiDigit(w[0])) && !CommonWords.Contains(w))
                {
                    found(w);
                }

                length = 0;
            }
        }
    }

    /// <summary>
    /// A set of words as 64-bit hashes in order, so that two sets are compared by one walk through both rather than a
    /// string hash and lookup for each word.
    /// </summary>
    internal sealed class WordSet
    {
        private readonly ulong[] _hashes;

        private WordSet(ulong[] hashes) => _hashes = hashes;

        public int Count => _hashes.Length;

        public static WordSet Of(string text)
        {
            var hashes = new List<ulong>();
            EachWord(text, word => hashes.Add(Hash(word)));
            hashes.Sort();
            var distinct = 0;
            for (var i = 0; i < hashes.Count; i++)
            {
                if (distinct == 0 || hashes[distinct - 1] != hashes[i])
                {
                    hashes[distinct++] = hashes[i];
                }
            }

            return new WordSet([.. hashes[..distinct]]);
        }

        /// <summary>The words of both (a text of two parts has the words of each).</summary>
        public WordSet With(WordSet other)
        {
            var (a, b) = (_hashes, other._hashes);
            var both = new List<ulong>(a.Length + b.Length);
            var (i, j) = (0, 0);
            while (i < a.Length || j < b.Length)
            {
                var next = j == b.Length || i < a.Length && a[i] <= b[j] ? a[i] : b[j];
                both.Add(next);
                i += i < a.Length && a[i] == next ? 1 : 0;
                j += j < b.Length && b[j] == next ? 1 : 0;
            }

            return new WordSet([.. both]);
        }

        /// <summary>
        /// Whether the words in both are at least this share of the words in either. A set much smaller than the other
        /// cannot be (the share is at most the smaller count over the larger), which most pairs of stories are.
        /// </summary>
        public bool SharesAtLeast(WordSet other, double share)
            => (double)Math.Min(Count, other.Count) / Math.Max(Count, other.Count) >= share && Overlap(other) >= share;

        /// <summary>The words in both as a share of the words in either (Jaccard's index); 0 when either has none.</summary>
        public double Overlap(WordSet other)
        {
            var (a, b) = (_hashes, other._hashes);
            if (a.Length == 0 || b.Length == 0)
            {
                return 0;
            }

            var (i, j, shared) = (0, 0, 0);
            while (i < a.Length && j < b.Length)
            {
                if (a[i] == b[j])
                {
                    (shared, i, j) = (shared + 1, i + 1, j + 1);
                }
                else if (a[i] < b[j])
                {
                    i++;
                }
                else
                {
                    j++;
                }
            }

            return (double)shared / (a.Length + b.Length - shared);
        }

        /// <summary>FNV-1a over the word's characters.</summary>
        private static ulong Hash(ReadOnlySpan<char> word)
        {
            var hash = 14695981039346656037UL;
            foreach (var c in word)
            {
                hash = (hash ^ c) * 1099511628211UL;
            }

            return hash;
        }
    }

    private static readonly HashSet<string> Common = new(StringComparer.Ordinal)
    {
        "the", "and", "for", "with", "from", "that", "this", "was", "were", "are", "has", "have", "had", "will", "would",
        "its", "his", "her", "their", "they", "after", "over", "into", "about", "says", "said", "say", "amid", "but",
        "not", "new", "more", "than", "who", "which", "what", "when", "where", "out", "off", "also", "been", "being",
        "des", "der", "die", "das", "und", "les", "del", "los", "las", "una", "por", "para", "con",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> CommonWords = Common.GetAlternateLookup<ReadOnlySpan<char>>();
}
