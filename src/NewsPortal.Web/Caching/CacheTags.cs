using NewsPortal.Web.Articles;
using NewsPortal.Web.Sitemaps;

namespace NewsPortal.Web.Caching;

/// <summary>
/// The tags cached responses carry, so that a write evicts exactly the responses that show what it changed: each
/// response is tagged with the stories it shows (<c>a:12</c>), the category and source names it shows (<c>c:3</c>,
/// <c>s:7</c>), the listing it is (<c>list:category:3</c>) and what else it depends on (counts, search, sitemaps).
/// </summary>
public static class CacheTags
{
    /// <summary>On every cached response: evicting it empties the cache (after a large import).</summary>
    public const string All = "all";

    /// <summary>Pages of counts: the categories, sources and archive indexes and their API lists.</summary>
    public const string Names = "names";

    /// <summary>Search pages, feeds and the API search: any story whose text or visibility changes may now match.</summary>
    public const string Search = "search";

    public const string SitemapIndex = "sitemap:index";
    public const string SitemapPages = "sitemap:pages";
    public const string NewsSitemap = "sitemap:news";

    /// <summary>On every response showing the story (its page, listings, feeds, related links): its title, lede, dates, names.</summary>
    public static string Article(int id) => $"a:{id}";

    /// <summary>On the story's own page only: what else it shows (its neighbours) changes without the story changing.</summary>
    public static string ArticlePage(int id) => $"p:{id}";

    public static string Category(int id) => $"c:{id}";

    public static string Source(int id) => $"s:{id}";

    public static string Thread(int id) => $"t:{id}";

    public static string ArticleSitemap(int page) => $"sitemap:{page}";

    /// <summary>
    /// Not on any response: what every node works out and keeps in its own memory under <paramref name="key"/>.
    /// Evicting it drops the entry on this node at once and on the others as they read the invalidation log.
    /// </summary>
    public static string Kept(string key) => KeptPrefix + key;

    /// <summary>The memory key a <see cref="Kept"/> tag names, or null for a tag on responses.</summary>
    public static string? KeptKey(string tag) => tag.StartsWith(KeptPrefix, StringComparison.Ordinal) ? tag[KeptPrefix.Length..] : null;

    private const string KeptPrefix = "kept:";

    /// <summary>The tags of a response showing these stories as cards or links, with their names.</summary>
    public static IEnumerable<string> Showing(IEnumerable<ArticleCard> cards)
        => cards.SelectMany(card => card.AlsoReported.Prepend(card)).SelectMany(card => card.Categories.Select(c => Category(c.Id)).Concat(card.Sources.Select(s => Source(s.Id))).Prepend(Article(card.Id)));

    /// <summary>
    /// What a change to one story makes stale, from its state before and after (null: it did not exist, or is
    /// gone for good). A story no reader could see before or after changes nothing public.
    /// </summary>
    public static HashSet<string> ForChange(ArticleState? before, ArticleState? after)
    {
        var tags = new HashSet<string>(StringComparer.Ordinal);
        var states = new[] { before, after }.OfType<ArticleState>().ToList();
        if (!states.Any(s => s.Listed))
        {
            return tags;
        }

        var id = states[0].Id;
        tags.Add(Article(id));
        tags.Add(ArticleSitemap(((id - 1) / SitemapService.ArticlesPerSitemap) + 1));
        tags.Add(NewsSitemap);
        if (before?.TextHash != after?.TextHash)
        {
            tags.Add(Search);
        }

        if (before is null || after is null || !before.SameListings(after))
        {
            // In or out of listings, or moved within them: every listing it is or was in, and the counts.
            foreach (var state in states.Where(s => s.Listed))
            {
                tags.UnionWith(state.Listings().Select(l => l.CacheTag));
            }

            tags.UnionWith([Names, Search, SitemapPages]);
            if (before is null)
            {
                tags.Add(SitemapIndex);
            }
        }

        return tags;
    }
}

/// <summary>
/// What of a story decides where it is shown: whether it is listed, where, and under which names. Its searchable text
/// is kept as a hash: an import remembers the states of up to <see cref="Import.ArticleWriter.MaxTrackedChanges"/>
/// stories until it commits, and a copy of each text held 25 MB for fifty of the longest.
/// </summary>
public sealed record ArticleState(
    int Id, bool Listed, long SortKey, string Language, IReadOnlyList<int> Categories, IReadOnlyList<int> Sources, string TextHash, int? ThreadId = null)
{
    public static ArticleState Of(Article article) => new(
        article.Id, article.Listed, article.SortKey, article.Language.ToLowerInvariant(),
        [.. article.Categories.Select(c => c.Id).Order()], [.. article.Sources.Select(s => s.Id).Order()],
        HashOf(article.Title, article.Lede, article.Body), article.ThreadId ?? article.Thread?.Id);

    private static string HashOf(params string[] texts)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var text in texts)
        {
            // Each text's length first, so the same characters split differently between the fields hash differently.
            hash.AppendData(BitConverter.GetBytes(text.Length));
            hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(text.AsSpan()));
        }

        return Convert.ToBase64String(hash.GetHashAndReset());
    }

    public DateOnly PublishedOn => ListingOrder.DayOf(SortKey);

    public bool SameListings(ArticleState other)
        => Listed == other.Listed && SortKey == other.SortKey && Language == other.Language
            && Categories.SequenceEqual(other.Categories) && Sources.SequenceEqual(other.Sources) && ThreadId == other.ThreadId;

    public IEnumerable<Listing> Listings()
        => [Listing.All, Listing.InLanguage(Language), Listing.InMonth(PublishedOn.Year, PublishedOn.Month),
            .. Categories.Select(Listing.InCategory), .. Sources.Select(Listing.FromSource),
            .. ThreadId is { } thread ? [Listing.InThread(thread)] : Array.Empty<Listing>()];
}
