using System.Data.Common;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Caching;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;
using Npgsql;

namespace NewsPortal.Web.Search;

public sealed record SearchHit(
    int Id, string Title, string Slug, string TitleHtml, string SnippetHtml, DateOnly PublishedOn, string Language,
    IReadOnlyList<NamedLink> Categories, IReadOnlyList<NamedLink> Sources);

/// <summary>A page of a search's hits; <c>Stopped</c>: the search ran out of its time (<c>Portal:SearchTimeoutSeconds</c>).</summary>
public sealed record SearchResults(SearchQuery Query, PagedList<SearchHit> Hits, string? Problem, bool Stopped = false);

public sealed record RelatedArticle(int Id, string Title, string Slug, DateOnly PublishedOn);

/// <summary>
/// What a page of hits is asked for, written into SQL by each store: the search, the checks on each story found, and
/// the listing walked when there are no words (already SQL, for the store at hand).
/// </summary>
internal sealed record SearchSql(SearchQuery Query, IReadOnlyList<string> Conditions, string? Walk, bool JoinsStories, int Take, int Skip, int MostRead, string Listed);

/// <summary>
/// Full-text search over what readers may see: on SQLite the FTS5 index kept by triggers (see the NewsroomScale
/// migration), on PostgreSQL the search vector and its GIN index (see <see cref="PostgresSearch"/>, which holds that
/// store's SQL). Both find the same stories in the same order. Every search is bounded: words take the most recently
/// added matches (at most <see cref="MaxCounted"/> + 1, which FTS5 reads newest first and stops), headline matches
/// first, and a search by filters alone walks the narrowest listing for at most <see cref="PortalOptions.ScanBudget"/>
/// stories. What is shared (names, filters, the walk) is worked out here once; each query then branches once by store.
/// </summary>
public sealed partial class SearchService(NewsDbContext db, ArticleService articles, IOptions<PortalOptions> options, ILogger<SearchService> logger)
{
    /// <summary>Results counted exactly; beyond this a search reports "more than" and pages stop there.</summary>
    public const int MaxCounted = 1000;

    /// <summary>What a search checks of each story it reaches, read without the story's row.</summary>
    private const string StoryByIdIndex = "IX_Articles_Id_Listed_SortKey_Language";

    /// <summary>
    /// Candidates for related stories from each of a story's sources and categories, and by its headline's words: the
    /// ones just before it (its background) and fewer just after (what followed), so that a story from years back is
    /// related to stories of its own time, not to this week's.
    /// </summary>
    private const int RelatedPerNameBefore = 20, RelatedPerNameAfter = 10, RelatedByWordsBefore = 50, RelatedByWordsAfter = 25;

    /// <summary>More than one shared category: a source, two categories, or a word of the headline.</summary>
    private const int MinRelatedScore = 2;

    internal const char MarkStart = '\u0001';
    internal const char MarkEnd = '\u0002';

    private static readonly string HitColumns = $"""
        a."Id", a."Title", a."Slug", a."Lede", a."PublishedOn", a."Language", substr(a."BodyText", 1, {Highlighter.MaxTextLength}) AS "Text"
        """;

    public async Task<SearchResults> SearchAsync(SearchQuery query, long page, CancellationToken cancellationToken = default)
    {
        var pageSize = options.Value.PageSize;
        var empty = new PagedList<SearchHit>([], 1, pageSize, 0);
        if (query.IsEmpty)
        {
            return new SearchResults(query, empty, query.Problems.FirstOrDefault());
        }

        if (query.Terms.Count == 0 && !query.HasFilters)
        {
            return new SearchResults(query, empty, "Add a word to search for: a search cannot only exclude words.");
        }

        var lastPage = (MaxCounted + pageSize - 1) / pageSize;
        var number = (int)Math.Clamp(page, 1, lastPage);
        var (results, stopped) = await WithinTimeLimitAsync(async budget =>
        {
            try
            {
                var rows = await HitsAsync(query, pageSize, (number - 1) * pageSize, marked: true, budget);
                var total = rows.Count > 0 ? rows[0].Total : 0;
                if (rows.Count == 0 && number > 1)
                {
                    // Past the last page: show the last page that has results, as a listing would.
                    var first = await HitsAsync(query, 1, 0, marked: false, budget);
                    total = first.Count > 0 ? first[0].Total : 0;
                    number = Math.Max(1, (Math.Min(total, MaxCounted) + pageSize - 1) / pageSize);
                    rows = total == 0 ? [] : await HitsAsync(query, pageSize, (number - 1) * pageSize, marked: true, budget);
                }

                var names = await articles.NamesAsync([.. rows.Select(r => r.Id)], cancellationToken);
                var hits = rows.Select(r => new SearchHit(
                    r.Id, r.Title, r.Slug, Highlighted(r.MarkedTitle), Highlighted(AfterHeadline(r.Title, r.MarkedSnippet)),
                    r.PublishedOn, r.Language, names.CategoriesOf(r.Id), names.SourcesOf(r.Id))).ToList();
                return new SearchResults(query, new PagedList<SearchHit>(hits, number, pageSize, total), query.Problems.FirstOrDefault());
            }
            catch (DbException ex) when (IsRefusal(ex))
            {
                // Terms are quoted, so this should not happen; if it does, the reader gets a message, not a 500.
                logger.LogWarning(ex, "Search failed for {Query}", query.Text);
                return new SearchResults(query, empty, "That search could not be run. Try fewer or simpler words.");
            }
        }, query, cancellationToken);
        return stopped ? new SearchResults(query, empty, StoppedNotice, Stopped: true) : results!;
    }

    /// <summary>What a page tells its reader of a search stopped at <c>Portal:SearchTimeoutSeconds</c>.</summary>
    public string StoppedNotice => StoppedMessage(options.Value.SearchTimeoutSeconds, namingTheSetting: false);

    /// <summary>What a search's feed and the API tell their clients of a search stopped at <c>Portal:SearchTimeoutSeconds</c>.</summary>
    public string StoppedDetail => StoppedMessage(options.Value.SearchTimeoutSeconds, namingTheSetting: true);

    /// <summary>
    /// Runs <paramref name="search"/> within <c>Portal:SearchTimeoutSeconds</c>, handing it the token to search by;
    /// <c>Stopped</c> when that limit, not the request's end, stopped it (then <c>Value</c> is the default).
    /// </summary>
    public async Task<(T? Value, bool Stopped)> WithinTimeLimitAsync<T>(Func<CancellationToken, Task<T>> search, SearchQuery query, CancellationToken cancellationToken)
    {
        var seconds = options.Value.SearchTimeoutSeconds;
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(TimeSpan.FromSeconds(seconds));
        // A statement stopped by the budget is this flow's cancellation, as one stopped by the request's end is: the
        // log says so once below, not with EF Core's report of a failed command and its SQL (for this flow only).
        SqliteCancellation.Request.Value = budget.Token;
        try
        {
            return (await search(budget.Token), false);
        }
        catch (Exception) when (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The store stops the statement when the budget's token fires (SQLite through SqliteCancellation, PostgreSQL
            // by a cancel request): whatever it threw, the search ran out of time while its reader was still waiting.
            logger.LogWarning("Search for {Query} stopped after {Seconds} s (Portal:SearchTimeoutSeconds)", query.Text, seconds);
            return (default, true);
        }
    }

    /// <summary>What a search stopped at <c>Portal:SearchTimeoutSeconds</c> answers; the setting named for clients, not for readers.</summary>
    private static string StoppedMessage(double seconds, bool namingTheSetting) => string.Create(CultureInfo.InvariantCulture,
        $"This search was stopped after {seconds:0.###} s{(namingTheSetting ? " (Portal:SearchTimeoutSeconds)" : "")}. Several very common words together, or a phrase of them, can take that long to look for in a large archive: try a rarer word, or fewer words. If the site is busy, try again in a moment.");

    /// <summary>The cache tags of a response showing this hit: the story and its names.</summary>
    public static IEnumerable<string> TagsOf(SearchHit hit)
        => [CacheTags.Article(hit.Id), .. hit.Categories.Select(c => CacheTags.Category(c.Id)), .. hit.Sources.Select(s => CacheTags.Source(s.Id))];

    /// <summary>
    /// The ids of the newest <paramref name="limit"/> public matches and the newest <paramref name="limit"/> of those
    /// readers cannot see, within the search time limit: what the editors' lists (the admin page, the API's lists by
    /// status) look for words among. <c>More</c>: either had more matches than that, so older ones are not among them.
    /// </summary>
    public async Task<(List<int> Ids, bool More)?> EditorsMatchingIdsAsync(SearchQuery query, int limit, CancellationToken cancellationToken)
    {
        var newest = query with { NewestFirst = true };
        var (found, stopped) = await WithinTimeLimitAsync(async budget =>
            (Public: await MatchingIdsAsync(newest, limit + 1, budget), Unseen: await MatchingIdsAsync(newest, limit + 1, budget, listed: false)), newest, cancellationToken);
        return stopped ? null
            : ([.. found.Public.Take(limit), .. found.Unseen.Take(limit)], found.Public.Count > limit || found.Unseen.Count > limit);
    }

    /// <summary>
    /// The ids of the best <paramref name="limit"/> public matches, for a search's feed; with <paramref name="listed"/>
    /// false, of the stories readers cannot see, for the editors' list. Not held to the search time limit: the caller
    /// runs it within <see cref="WithinTimeLimitAsync"/>.
    /// </summary>
    public async Task<IReadOnlyList<int>> MatchingIdsAsync(SearchQuery query, int limit, CancellationToken cancellationToken = default, bool listed = true)
    {
        if (query.Terms.Count == 0 && !query.HasFilters)
        {
            return [];
        }

        try
        {
            return [.. (await HitsAsync(query, limit, 0, marked: false, cancellationToken, listed)).Select(r => r.Id)];
        }
        catch (DbException ex) when (IsRefusal(ex))
        {
            logger.LogWarning(ex, "Search feed failed for {Query}", query.Text);
            return [];
        }
    }

    /// <summary>
    /// Up to five public stories most like this one: sharing the names in its headline (a capitalised word after the
    /// first: "Gavin Newsom", "Orange County"; 3 each), its sources (2 each), its headline's other words (2 each) and its
    /// categories (1 each), the nearest in time first among equals. The candidates are bounded whatever the size of the
    /// store (of each of its sources and categories the 20 listed just before it and the 10 just after, of the stories
    /// with one of its headline's names in common, or its words when it names nothing, the 50 stored just before it and
    /// the 25 just after) and scored here. A story sharing only one
    /// category ("Armed conflicts and attacks") is not related, nor one the page already links
    /// (<paramref name="shownAlready"/>: the developing story's newest, the newer and older in its category).
    /// </summary>
    public async Task<IReadOnlyList<RelatedArticle>> RelatedAsync(ArticleDetails article, IReadOnlyCollection<int> shownAlready, CancellationToken cancellationToken = default)
    {
        var args = new List<object>();
        string Arg(object value) => args.Placeholder(value);

        // Public stories only, written in so that PostgreSQL keeps one plan (see StoreDialect.Literal).
        var listed = StoreDialect.Of(db.Database).Literal(true);
        var articleId = Arg(article.Id);
        var sortKey = Arg(article.SortKey);

        var sourceIds = article.Sources.Select(s => s.Id).Where(id => id > 0).Take(5).ToList();
        var categoryIds = article.Categories.Select(c => c.Id).Where(id => id > 0).Take(5).ToList();
        var candidates = new List<string>();
        foreach (var (table, column, id) in sourceIds.Select(id => ("ArticleSources", "SourcesId", id)).Concat(categoryIds.Select(id => ("ArticleCategories", "CategoriesId", id))))
        {
            var name = Arg(id);
            candidates.Add(Around((compare, order, limit) => $"""
                SELECT "Id" FROM (SELECT "ArticlesId" AS "Id" FROM "{table}" WHERE "{column}" = {name} AND "Listed" = {listed} AND "SortKey" {compare} {sortKey}
                    ORDER BY "SortKey" {order}, "ArticlesId" {order} LIMIT {limit}) n
                """, RelatedPerNameBefore, RelatedPerNameAfter, sameKeyBefore: true));
        }

        var (allWords, names) = (WordsOf(article.Title), NamesOf(article.Title));
        var specific = names.Where(n => !NameParts.Contains(n)).ToList();
        var words = (specific.Count > 0 ? names : allWords).Take(8).ToList();
        if (words.Count > 0)
        {
            // Headline to headline, from the story's own id each way: FTS5 stops after a few, however common the words.
            string byWords;
            if (StoreDialect.Of(db.Database).IsSqlite)
            {
                var match = Arg("\"Title\" : (" + string.Join(" OR ", words.Select(w => $"\"{w}\"")) + ")");
                byWords = Around((compare, order, limit) => $"""
                    SELECT "Id" FROM (SELECT rowid AS "Id" FROM "ArticleSearch" WHERE "ArticleSearch" MATCH {match} AND rowid {compare} {articleId}
                        ORDER BY rowid {order} LIMIT {limit}) n
                    """, RelatedByWordsBefore, RelatedByWordsAfter);
            }
            else
            {
                byWords = PostgresSearch.HeadlineWordsAround(words, Arg, article.Id, RelatedByWordsBefore, RelatedByWordsAfter);
            }

            candidates.Add($"""SELECT "Id" FROM ({byWords}) w""");
        }

        if (candidates.Count == 0)
        {
            return [];
        }

        string Shared(string table, string column, IReadOnlyList<int> ids) => ids.Count == 0 ? "0"
            : $"""(SELECT count(*) FROM "{table}" x WHERE x."ArticlesId" = a."Id" AND x."{column}" IN ({string.Join(", ", ids.Select(id => Arg(id)))}))""";
        var sql = $"""
            -- bounded: merges at most {((sourceIds.Count + categoryIds.Count) * (RelatedPerNameBefore + RelatedPerNameAfter)) + RelatedByWordsBefore + RelatedByWordsAfter} candidates
            SELECT a."Id", a."Title", a."Slug", a."SortKey",
                {Shared("ArticleSources", "SourcesId", sourceIds)} AS "SharedSources", {Shared("ArticleCategories", "CategoriesId", categoryIds)} AS "SharedCategories"
            FROM "Articles" a
            WHERE a."Id" IN ({string.Join(" UNION ", candidates)}) AND a."Id" <> {articleId} AND a."Listed" = {listed}
            """;
        List<RelatedCandidate> found;
        try
        {
            found = await db.Database.RowsAsync<RelatedCandidate>(sql, [.. args], cancellationToken);
        }
        catch (DbException ex) when (IsRefusal(ex))
        {
            logger.LogWarning(ex, "Related articles failed for {Slug}", article.Slug);
            return [];
        }

        // Each of the headline's words looked for in the candidate's, folded as search folds them: a few searches of a
        // short text each, where splitting every candidate's headline into words took a third of the page's time.
        var named = specific.Select(Highlighter.Fold).ToHashSet(StringComparer.Ordinal);
        var weighted = allWords.Select(Highlighter.Fold).Distinct(StringComparer.Ordinal).Select(w => (Word: w, Weight: named.Contains(w) ? 3 : 2)).ToList();
        int WordScore(string title)
        {
            var text = System.Text.Ascii.IsValid(title) ? title : Highlighter.Fold(title);
            return weighted.Where(w => HasWord(text, w.Word)).Sum(w => w.Weight);
        }

        return [.. found
            .Select(c => (Candidate: c, Score: 2 * c.SharedSources + c.SharedCategories + WordScore(c.Title)))
            .Where(c => c.Score >= MinRelatedScore && !shownAlready.Contains(c.Candidate.Id))
            .OrderByDescending(c => c.Score).ThenBy(c => Math.Abs(c.Candidate.SortKey - article.SortKey)).ThenByDescending(c => c.Candidate.Id)
            .Take(5)
            .Select(c => new RelatedArticle(c.Candidate.Id, c.Candidate.Title, c.Candidate.Slug, ListingOrder.DayOf(c.Candidate.SortKey)))];
    }

    /// <summary>
    /// The rows on either side of a story: <paramref name="side"/>'s query, given the comparison with the story's own
    /// position, the order to walk from it and how many to take, for the <paramref name="before"/> just before it (those
    /// at the same position too, with <paramref name="sameKeyBefore"/>) and the <paramref name="after"/> just after.
    /// </summary>
    internal static string Around(Func<string, string, int, string> side, int before, int after, bool sameKeyBefore = false) => $"""
        {side(sameKeyBefore ? "<=" : "<", "DESC", before)}
        UNION
        {side(">", "ASC", after)}
        """;

    /// <summary>Whether the text holds the word whole, ignoring case (the word as <see cref="WordPattern"/> finds them).</summary>
    private static bool HasWord(string text, string word)
    {
        for (var at = text.IndexOf(word, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(word, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            var end = at + word.Length;
            if ((at == 0 || !char.IsLetterOrDigit(text[at - 1])) && (end == text.Length || !char.IsLetterOrDigit(text[end])))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The words of a headline that may relate it to another: not short, not <see cref="StopWords"/>.</summary>
    private static List<string> WordsOf(string title)
        => [.. WordPattern().Matches(title).Select(m => m.Value).Where(w => w.Length >= 4 && !StopWords.Contains(w)).Distinct(StringComparer.OrdinalIgnoreCase)];

    /// <summary>
    /// Those of its words a headline capitalises after its first, which in a sentence-case headline are names: sharing
    /// one says more than sharing "court" or "approves", which many headlines hold. None in a headline in title case
    /// ("Heatwave Grips Southern Europe"), which capitalises every word, so its capitals name nothing. Title case as
    /// house styles write it leaves small words in lower case, "with" and "from" too, so those are not looked at.
    /// </summary>
    private static List<string> NamesOf(string title)
    {
        var later = WordPattern().Matches(title).Skip(1).Select(m => m.Value).Where(w => w.Length >= 4 && !StopWords.Contains(w)).ToList();
        return later.Count >= 3 && later.All(w => char.IsUpper(w[0])) ? []
            : [.. later.Where(w => char.IsUpper(w[0])).Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>
    /// Capitalised words that name no one thing: nationalities and the words of many institutions' and places' names
    /// ("United States", "National Assembly", "Israeli", "South"), each in hundreds of the corpus's headlines. A
    /// headline whose only capitals are these is found by all its words, as one that names nothing: taken for names,
    /// "Israeli" alone related "Ministers approve the ceasefire deal at an Israeli cabinet meeting" to any story of the
    /// country and never to the deal's. They weigh as a headline's other words do.
    /// </summary>
    private static readonly HashSet<string> NameParts = new(StringComparer.OrdinalIgnoreCase)
    {
        "United", "States", "State", "National", "Federal", "Republic", "Democratic", "Kingdom", "Union", "International",
        "World", "Central", "North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "President",
        "Prime", "Minister", "Ministry", "Secretary", "Government", "Parliament", "Assembly", "Council", "Congress", "Senate",
        "House", "Court", "Supreme", "Party", "Forces", "Force", "Army", "Military", "Police", "Guard", "Department",
        "Agency", "Office", "District", "County", "City", "Province", "Region", "Oblast", "Governorate", "Airport",
        "American", "British", "Chinese", "Russian", "Ukrainian", "Israeli", "Palestinian", "Palestinians", "Iranian",
        "Indian", "Pakistani", "Afghan", "Syrian", "Lebanese", "Iraqi", "Turkish", "Egyptian", "Saudi", "Sudanese",
        "Nigerian", "Kenyan", "Ethiopian", "Somali", "Congolese", "French", "German", "Italian", "Spanish", "Japanese",
        "Korean", "Australian", "Canadian", "Mexican", "Brazilian", "Colombian", "Venezuelan", "Filipino", "Indonesian",
        "Polish", "European", "African", "Asian", "Arab", "Yemeni", "Libyan", "Taiwanese", "Kurdish", "Islamic",
    };

    /// <summary>
    /// Words that make no two headlines related: common words, and the words of news itself, which most headlines hold
    /// (the most frequent in the corpus's 10,546 headlines: "killed" and "people" are each in more than a fifth).
    /// </summary>
    private static readonly HashSet<string> StopWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "after", "again", "about", "against", "amid", "from", "have", "into", "over", "said", "says", "than", "that", "their",
        "there", "they", "this", "three", "with", "when", "where", "which", "while", "will", "would", "years",
        "killed", "kills", "killing", "people", "injured", "injuring", "others", "least", "including", "announces", "announced",
        "reports", "reported", "according", "during", "following", "since", "between", "across", "near", "more", "most",
        "several", "four", "five", "seven", "eight", "nine", "first", "second", "year", "country", "former", "also",
        "been", "were", "some", "other", "being", "them", "what", "week", "month", "today",
    };

    /// <summary>
    /// One page of a search's hits, each with the number of matches (up to MaxCounted + 1) in "Total", and (when
    /// <paramref name="marked"/>) its headline and snippet with the matches marked.
    /// </summary>
    private async Task<List<Hit>> HitsAsync(SearchQuery query, int take, int skip, bool marked, CancellationToken cancellationToken, bool listed = true)
    {
        var args = new List<object>();
        string Arg(object value) => args.Placeholder(value);

        // Each name with how many public stories carry it, which decides the listing a search by filters walks.
        var sources = new List<(int Id, int Count)>();
        foreach (var name in query.Sources)
        {
            if (await NameAsync(db.Sources, db.SourceAliases, name, cancellationToken) is not { } source)
            {
                // No such source: nothing can match.
                return [];
            }

            sources.Add(source);
        }

        var categories = new List<(int Id, int Count)>();
        foreach (var name in query.Categories)
        {
            if (await NameAsync(db.Categories, db.CategoryAliases, name, cancellationToken) is not { } category)
            {
                return [];
            }

            categories.Add(category);
        }

        var dialect = StoreDialect.Of(db.Database);
        var listedSql = dialect.Literal(listed);
        var words = query.Terms.Count > 0;
        var driver = Listing.All;
        if (!words)
        {
            // No words: walk the narrowest listing, by the counts the store keeps; the rest is checked on each story
            // reached, within the scan budget.
            var choices = new List<(Listing Listing, int Count)>();
            choices.AddRange(categories.Select(c => (Listing.InCategory(c.Id), c.Count)));
            choices.AddRange(sources.Select(s => (Listing.FromSource(s.Id), s.Count)));
            if (query.Language is { } tag && !tag.Contains('-'))
            {
                choices.Add((Listing.InLanguage(tag), await articles.CountAsync(ListingCount.Language(tag), cancellationToken)));
            }

            driver = choices.Count == 0 ? Listing.All : choices.MinBy(c => c.Count).Listing;
            categories.RemoveAll(c => driver.Kind == ListingKind.Category && driver.NameId == c.Id);
            sources.RemoveAll(s => driver.Kind == ListingKind.Source && driver.NameId == s.Id);
        }

        // Matches of words are checked on the narrow index of stories ("a"); a walk yields listed stories ("w") and
        // reads that index only when the language is to be checked.
        var checksLanguage = query.Language is not null && driver.Kind != ListingKind.Language;
        var story = words || checksLanguage ? "a" : "w";
        var conditions = new List<string>();
        foreach (var (id, _) in sources)
        {
            conditions.Add($"""EXISTS (SELECT 1 FROM "ArticleSources" x WHERE x."ArticlesId" = {story}."Id" AND x."SourcesId" = {Arg(id)})""");
        }

        foreach (var (id, _) in categories)
        {
            conditions.Add($"""EXISTS (SELECT 1 FROM "ArticleCategories" x WHERE x."ArticlesId" = {story}."Id" AND x."CategoriesId" = {Arg(id)})""");
        }

        if (checksLanguage)
        {
            conditions.Add($"""a."Listed" = {listedSql} AND (lower(a."Language") = {Arg(query.Language!)} OR lower(a."Language") LIKE {Arg(query.Language + "-%")})""");
        }

        var (minKey, maxKey) = (query.After is { } after ? ListingOrder.StartOfDayAfter(after) : 0, query.Before is { } before ? ListingOrder.StartOf(before) : long.MaxValue);
        string? walk = null;
        if (words)
        {
            if (query.After is not null || query.Before is not null)
            {
                conditions.Add($"""a."SortKey" >= {Arg(minKey)} AND a."SortKey" < {Arg(maxKey)}""");
            }
        }
        else
        {
            var keys = query.After is null && query.Before is null ? ((long, long)?)null : (minKey, maxKey);
            var budget = conditions.Count == 0 && query.Excluded.Count == 0 ? MaxCounted + 1 : options.Value.ScanBudget;
            walk = ArticleService.Renumber(driver.Walk(dialect, ArticleService.KeyColumns, null, older: true, budget, out var walkArgs, keys: keys), args.Count);
            args.AddRange(walkArgs);
        }

        var search = new SearchSql(query, conditions, walk, checksLanguage, take, skip, Math.Max(options.Value.ScanBudget, MaxCounted + 1), listedSql);
        if (dialect.IsSqlite)
        {
            var sql = Fts5Hits(search, Arg);
            var rows = await db.Database.RowsAsync<HitRow>(sql, [.. args], cancellationToken);
            return [.. rows.Select(r => new Hit(r.Id, r.Title, r.Slug, r.PublishedOn, r.Language, r.Total,
                marked ? Highlighter.Highlight(r.Title, query, MarkStart, MarkEnd) : r.Title,
                marked ? Highlighter.Snippet(r.Text, query, MarkStart, MarkEnd) ?? Highlighter.Highlight(r.Lede, query, MarkStart, MarkEnd) : r.Lede))];
        }

        var postgres = PostgresSearch.Hits(search, Arg, MaxCounted + 1, marked);
        var found = await db.Database.RowsAsync<MarkedRow>(postgres, [.. args], cancellationToken);
        return [.. found.Select(r => new Hit(r.Id, r.Title, r.Slug, r.PublishedOn, r.Language, r.Total, r.MarkedTitle, PostgresSearch.Snippet(r.Text, r.MarkedText) ?? r.MarkedLede))];
    }

    /// <summary>
    /// A page of hits on SQLite's FTS5 index. Matches are read newest first and stop after the thousand counted. They
    /// are ranked without bm25, whose weighting counts every story holding each word (work that grows with the store):
    /// headline matches first, then those in the first paragraph, then the rest, each newest first.
    /// </summary>
    private static string Fts5Hits(SearchSql search, Func<object, string> arg)
    {
        var query = search.Query;
        var conditions = search.Conditions.ToList();
        string ranked;
        if (search.Walk is null)
        {
            // Headline and first-paragraph matches are looked for only as far back as the matches reach, so they cost
            // no more than the matches themselves. Each step is materialized once, and the stories are read through a
            // narrow index rather than their full rows.
            string Within(string column) => $"""
                SELECT rowid FROM "ArticleSearch" WHERE "ArticleSearch" MATCH {arg(query.ToFtsMatchIn(column)!)} AND rowid >= (SELECT min(rowid) FROM "Matches")
                """;
            // Newest first, every match ranks alike: the headline and first-paragraph lookups are not needed.
            var (within, order) = query.NewestFirst
                ? ("", "0")
                : ($"""
                    "InTitle" AS MATERIALIZED ({Within("Title")}),
                    "InLede" AS MATERIALIZED ({Within("Lede")}),
                    """, """CASE WHEN a."Id" IN "InTitle" THEN 0 WHEN a."Id" IN "InLede" THEN 1 ELSE 2 END""");
            ranked = $"""
                "Matches" AS MATERIALIZED (
                    SELECT rowid FROM "ArticleSearch" WHERE "ArticleSearch" MATCH {arg(query.ToFtsMatch()!)} ORDER BY rowid DESC LIMIT {arg(MaxCounted + 1)}),
                {within}
                "Ranked" AS MATERIALIZED (
                    SELECT a."Id", {order} AS "Order1", -a."SortKey" AS "Order2"
                    FROM "Matches" m CROSS JOIN "Articles" a INDEXED BY "{StoryByIdIndex}" ON a."Id" = m.rowid
                    WHERE a."Listed" = {search.Listed}{string.Concat(conditions.Select(c => " AND " + c))})
                """;
        }
        else
        {
            var exclusion = query.ExclusionMatch();
            var (walked, walkedFrom) = ("", $"({search.Walk})");
            if (exclusion is not null)
            {
                // Words left out are looked up once, among the ids the walk spans (one index range read), rather than
                // story by story, which costs a full-text query each.
                walked = $"""
                    "Walked" AS MATERIALIZED {walkedFrom},
                    "Excluded" AS MATERIALIZED (
                        SELECT rowid FROM "ArticleSearch" WHERE "ArticleSearch" MATCH {arg(exclusion)}
                        AND rowid >= (SELECT min("Id") FROM "Walked") AND rowid <= (SELECT max("Id") FROM "Walked")),
                    """;
                walkedFrom = "\"Walked\"";
                conditions.Add("""w."Id" NOT IN "Excluded" """);
            }

            var stories = search.JoinsStories ? $"""CROSS JOIN "Articles" a INDEXED BY "{StoryByIdIndex}" ON a."Id" = w."Id" """ : "";
            ranked = $"""
                {walked}
                "Ranked" AS MATERIALIZED (
                    SELECT w."Id", -w."SortKey" AS "Order1", -w."Id" AS "Order2" FROM {walkedFrom} w {stories}
                    {(conditions.Count > 0 ? "WHERE " + string.Join(" AND ", conditions) : "")}
                    ORDER BY w."SortKey" DESC, w."Id" DESC LIMIT {arg(MaxCounted + 1)})
                """;
        }

        return $"""
            -- bounded: counts and sorts at most {search.MostRead} stories
            WITH {ranked}
            SELECT {HitColumns}, (SELECT count(*) FROM "Ranked") AS "Total"
            FROM (SELECT "Id", "Order1", "Order2" FROM "Ranked" ORDER BY "Order1", "Order2" LIMIT {arg(search.Take)} OFFSET {arg(search.Skip)}) f
            CROSS JOIN "Articles" a ON a."Id" = f."Id"
            ORDER BY f."Order1", f."Order2"
            """;
    }

    /// <summary>A store refusing a statement, as opposed to the request being stopped (which is not the search's to handle).</summary>
    private static bool IsRefusal(DbException exception) => exception switch
    {
        SqliteException sqlite => !SqliteCancellation.IsInterruption(sqlite),
        PostgresException postgres => postgres.SqlState != PostgresErrorCodes.QueryCanceled,
        _ => false,
    };

    /// <summary>
    /// <c>source:reuters</c> names a slug, a name ignoring case and spacing, or an alias; the first that exists, with
    /// how many public stories it has.
    /// </summary>
    private static async Task<(int Id, int Count)?> NameAsync<TName, TAlias>(IQueryable<TName> names, IQueryable<TAlias> aliases, string value, CancellationToken cancellationToken)
        where TName : class, INamedEntity, INamedRow
        where TAlias : NameAlias
    {
        var (slug, key) = (Slug.From(value, "-"), NameKey.For(value));
        var id = await names.Where(n => n.Slug == slug).Select(n => (int?)n.Id).FirstOrDefaultAsync(cancellationToken)
            ?? await names.Where(n => n.NameKey == key).Select(n => (int?)n.Id).FirstOrDefaultAsync(cancellationToken)
            ?? await aliases.Where(a => a.NameKey == key || a.Slug == slug).Select(a => (int?)a.TargetId).FirstOrDefaultAsync(cancellationToken);
        return id is null ? null : (id.Value, await names.Where(n => n.Id == id).Select(n => n.ArticleCount).FirstAsync(cancellationToken));
    }

    /// <summary>
    /// A hit's passage as its card shows it under the headline: without the headline's sentence when the passage opens
    /// with it (most of the corpus's items are their headline and a credit), as listings show ledes
    /// (<see cref="Text.AfterHeadline"/>), the marks kept on the words left; empty when nothing but credits is left.
    /// </summary>
    private static string AfterHeadline(string title, string marked)
    {
        var plain = Unmarked(marked);
        var after = Text.AfterHeadline(title, plain);
        if (after == plain)
        {
            return marked;
        }

        if (after.Length == 0)
        {
            return "";
        }

        // Past as many of the marked text's letters as the plain text's before what is left, and past a mark closing there.
        var start = plain.IndexOf(after, title.Length, StringComparison.Ordinal);
        var i = 0;
        for (var seen = 0; seen < start; i++)
        {
            seen += marked[i] is MarkStart or MarkEnd ? 0 : 1;
        }

        while (i < marked.Length && marked[i] == MarkEnd)
        {
            i++;
        }

        return marked[i..];
    }

    /// <summary>Marked text without its match markers.</summary>
    internal static string Unmarked(string marked)
        => marked.Replace(MarkStart.ToString(), "", StringComparison.Ordinal).Replace(MarkEnd.ToString(), "", StringComparison.Ordinal);

    /// <summary>Encodes stored text (untrusted) for HTML, then turns the match markers into &lt;mark&gt;.</summary>
    private static string Highlighted(string text)
        => WebUtility.HtmlEncode(text).Replace(MarkStart.ToString(), "<mark>", StringComparison.Ordinal).Replace(MarkEnd.ToString(), "</mark>", StringComparison.Ordinal);

    [GeneratedRegex(@"\p{L}[\p{L}\p{M}\p{N}]*")]
    private static partial Regex WordPattern();


    /// <summary>
    /// A story that may be related, its day read from its listing key: SQLite keeps dates as text, and parsing one for
    /// each of up to 135 candidates, of which five are shown, was 1.6% of an uncached article page's CPU.
    /// </summary>
    private sealed record RelatedCandidate(int Id, string Title, string Slug, long SortKey, int SharedSources, int SharedCategories);

    /// <summary>A hit as SQLite's query returns it: marked here, by <see cref="Highlighter"/>.</summary>
    private sealed record HitRow(int Id, string Title, string Slug, string Lede, DateOnly PublishedOn, string Language, string Text, int Total);

    /// <summary>A hit as PostgreSQL's query returns it, marked by ts_headline (<see cref="PostgresSearch"/>).</summary>
    private sealed record MarkedRow(
        int Id, string Title, string Slug, DateOnly PublishedOn, string Language, int Total, string MarkedTitle, string MarkedLede, string Text, string? MarkedText);

    private sealed record Hit(int Id, string Title, string Slug, DateOnly PublishedOn, string Language, int Total, string MarkedTitle, string MarkedSnippet);

}
