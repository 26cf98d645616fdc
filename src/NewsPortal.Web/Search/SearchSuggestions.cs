using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using NewsPortal.Web.Admin;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Search;

/// <summary>What a search that found nothing offers instead: a query spelt as the site's names are, and the names it touches.</summary>
public sealed record SearchSuggestion(string? DidYouMean, IReadOnlyList<NamedLink> Threads, IReadOnlyList<NamedLink> Categories, IReadOnlyList<NamedLink> Sources)
{
    public bool IsEmpty => DidYouMean is null && Threads.Count == 0 && Categories.Count == 0 && Sources.Count == 0;
}

/// <summary>
/// Suggestions for a search with no results, from the names readers search for most: the most recently active
/// developing stories and the busiest categories and sources (at most <see cref="NamesOfEachKind"/> of each, read
/// through their indexes and kept for a few minutes), so a miss costs the same however large the archive.
/// "ukriane ceasfire" becomes "ukraine ceasefire" when those words are in such names, and "zelenksy" becomes
/// "zelensky" when it is in one of the newest <see cref="NewestHeadlines"/> headlines: the people and places in the
/// news, which no name holds.
/// </summary>
public sealed partial class SearchSuggestions(NewsDbContext db, ArticleService articles, IMemoryCache cache)
{
    public const int NamesOfEachKind = 2_000;

    public const int NewestHeadlines = 2_000;

    /// <summary>Where the names are kept between searches, on this node.</summary>
    public const string CacheKey = "search-suggestion-names";
    private const int Shown = 4;
    private static readonly TimeSpan KeptFor = TimeSpan.FromMinutes(5);

    private sealed record Name(NamedLink Link, string[] Words);

    private sealed record Vocabulary(IReadOnlyList<Name> Threads, IReadOnlyList<Name> Categories, IReadOnlyList<Name> Sources, IReadOnlySet<string> Words);

    public async Task<SearchSuggestion> ForAsync(SearchQuery query, CancellationToken cancellationToken = default)
    {
        var typed = query.Terms.SelectMany(t => WordsOf(t)).Distinct(StringComparer.Ordinal).ToList();
        if (typed.Count == 0)
        {
            return new SearchSuggestion(null, [], [], []);
        }

        var vocabulary = await VocabularyAsync(cancellationToken);
        var corrected = typed.ToDictionary(w => w, w => vocabulary.Words.Contains(w) ? w : Closest(w, vocabulary.Words), StringComparer.Ordinal);
        var meant = corrected.Values.OfType<string>().ToHashSet(StringComparer.Ordinal);
        IReadOnlyList<NamedLink> Matching(IReadOnlyList<Name> names) => [.. names
            .Select(n => (n.Link, Score: n.Words.Count(meant.Contains)))
            .Where(n => n.Score > 0)
            .OrderByDescending(n => n.Score)
            .Take(Shown)
            .Select(n => n.Link)];

        string? didYouMean = null;
        if (corrected.Any(c => c.Value is not null && c.Value != c.Key))
        {
            didYouMean = Word().Replace(query.Text, m => corrected.GetValueOrDefault(Fold(m.Value)) is { } better && better != Fold(m.Value) ? better : m.Value);
        }

        return new SearchSuggestion(didYouMean, Matching(vocabulary.Threads), Matching(vocabulary.Categories), Matching(vocabulary.Sources));
    }

    private async Task<Vocabulary> VocabularyAsync(CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(CacheKey, out Vocabulary? kept) && kept is not null)
        {
            return kept;
        }

        // Each list is one read of its table's index in the order the site ranks it, bounded.
        var threads = await db.Threads.AsNoTracking().Where(t => t.LatestSortKey != null)
            .OrderByDescending(t => t.LatestSortKey).ThenByDescending(t => t.Id).Take(NamesOfEachKind)
            .Select(t => new NamedLink(t.Name, t.Slug)).ToListAsync(cancellationToken);
        var categories = await db.Categories.AsNoTracking().Where(c => c.ArticleCount > 0)
            .OrderByDescending(c => c.ArticleCount).ThenBy(c => c.Id).Take(NamesOfEachKind)
            .Select(c => new NamedLink(c.Name, c.Slug)).ToListAsync(cancellationToken);
        var sources = await db.Sources.AsNoTracking().Where(s => s.ArticleCount > 0)
            .OrderByDescending(s => s.ArticleCount).ThenBy(s => s.Id).Take(NamesOfEachKind)
            .Select(s => new NamedLink(s.Name, s.Slug)).ToListAsync(cancellationToken);
        var headlines = await articles.WalkAsync<Headline>(Listing.All, Headline.Columns, null, older: true, NewestHeadlines, cancellationToken);
        static List<Name> Named(List<NamedLink> links) => [.. links.Select(l => new Name(l, [.. WordsOf(l.Name)]))];
        var (threadNames, categoryNames, sourceNames) = (Named(threads), Named(categories), Named(sources));
        var words = new HashSet<string>(
            [.. threadNames.Concat(categoryNames).Concat(sourceNames).SelectMany(n => n.Words), .. headlines.SelectMany(h => WordsOf(h.Title))],
            StringComparer.Ordinal);
        var vocabulary = new Vocabulary(threadNames, categoryNames, sourceNames, words);

        // Kept for a time by the cache's own clock: an expiry reckoned from the site's clock (a test's, set back months)
        // could fall in the cache's past, and the names be read again on every miss.
        cache.Set(CacheKey, vocabulary, KeptFor);
        return vocabulary;
    }

    /// <summary>The known word a typed one most likely meant: the same first letter, one slip apart (two from eight letters on).</summary>
    private static string? Closest(string typed, IReadOnlySet<string> words)
    {
        if (typed.Length < 4)
        {
            return null;
        }

        var limit = typed.Length >= 8 ? 2 : 1;
        return words
            .Where(w => w[0] == typed[0] && Math.Abs(w.Length - typed.Length) <= limit)
            .Select(w => (Word: w, Distance: LikelyDuplicates.Distance(typed, w, limit)))
            .Where(c => c.Distance <= limit)
            .OrderBy(c => c.Distance).ThenBy(c => c.Word, StringComparer.Ordinal)
            .Select(c => c.Word)
            .FirstOrDefault();
    }

    private static IEnumerable<string> WordsOf(string text)
        => Word().Matches(text).Select(m => Fold(m.Value)).Where(w => w.Length >= 3);

    private static string Fold(string word) => LikelyDuplicates.Loose(word);

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Word();
}
