using Microsoft.EntityFrameworkCore;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Threads;

/// <summary>A thread as its index and the front page show it: its newest story's headline and when.</summary>
public sealed record ActiveThread(int Id, string Name, string Slug, int ArticleCount, long LatestSortKey)
{
    public DateOnly LatestOn => ListingOrder.DayOf(LatestSortKey);

    /// <summary>Where the thread stands in the index, for the link to the next page.</summary>
    public ListingCursor Position => new(LatestSortKey, Id);

    public Headline? Latest { get; init; }
}

/// <summary>
/// Developing stories: the most active threads (one read of the threads' own index, by their newest story) and a
/// thread's stories (one walk of the stories' thread index). Counts and positions are kept by the store on write.
/// </summary>
public sealed class ThreadService(NewsDbContext db, ArticleService articles)
{
    /// <summary>Threads per page of the index.</summary>
    public const int PageSize = 60;

    /// <summary>
    /// Stories a thread needs before the front page's rail and the /threads index call it developing: one story is news,
    /// not a running story. Written into their SQL as it is, so both read the threads' index of these alone
    /// (<see cref="StoryThreadConfiguration"/>), however many one-story threads the store holds.
    /// </summary>
    public const int DevelopingMinimum = 2;

    public Task<NamedCount?> GetBySlugAsync(string slug, CancellationToken cancellationToken = default)
        => db.Threads.AsNoTracking()
            .Where(t => t.Slug == slug)
            .Select(t => new NamedCount(t.Id, t.Name, t.Slug, t.ArticleCount))
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>The slug a former slug now leads to (after a rename or a merge), for a permanent redirect.</summary>
    public Task<string?> RedirectForAsync(string slug, CancellationToken cancellationToken = default)
        => db.ThreadAliases.AsNoTracking().Where(a => a.Slug == slug).Select(a => a.Target!.Slug).SingleOrDefaultAsync(cancellationToken);

    /// <summary>
    /// Threads with public stories, one-story ones too, the most recently active first, from after
    /// <paramref name="after"/> (a thread's <see cref="ActiveThread.Position"/>); one more than <paramref name="take"/>
    /// tells the caller there is a next page.
    /// </summary>
    public async Task<List<ActiveThread>> ActiveAsync(ListingCursor? after, int take, CancellationToken cancellationToken = default)
    {
        var threads = db.Threads.AsNoTracking().Where(t => t.LatestSortKey != null);

        if (after is { } cursor)
        {
            threads = threads.Where(t => t.LatestSortKey < cursor.SortKey || (t.LatestSortKey == cursor.SortKey && t.Id < cursor.Id));
        }

        return await threads.OrderByDescending(t => t.LatestSortKey).ThenByDescending(t => t.Id).Take(take)
            .Select(t => new ActiveThread(t.Id, t.Name, t.Slug, t.ArticleCount, t.LatestSortKey!.Value))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The developing threads (<see cref="DevelopingMinimum"/> stories or more), the most recently active first, from
    /// after <paramref name="after"/>, each with its newest story's headline: the front page's rail and the /threads
    /// index, in one command. One more than <paramref name="take"/> tells the caller there is a next page.
    /// </summary>
    public async Task<List<ActiveThread>> DevelopingAsync(ListingCursor? after, int take, CancellationToken cancellationToken = default)
    {
        // Each thread's newest story is one read of the stories' thread index; the threads, one of their own. The
        // position, a reader's, is passed as arguments; the portal's own numbers are written in, so PostgreSQL plans
        // each shape once for all (see StoreDialect.Literal).
        var sql = $$"""
            SELECT x."Id", x."Name", x."Slug", x."ArticleCount", x."LatestSortKey",
                a."Id" AS "StoryId", a."Title" AS "StoryTitle", a."Slug" AS "StorySlug", a."PublishedOn" AS "StoryOn"
            FROM (
                SELECT t."Id", t."Name", t."Slug", t."ArticleCount", t."LatestSortKey",
                    (SELECT s."Id" FROM "Articles" s WHERE s."ThreadId" = t."Id" AND s."Listed" = {{StoreDialect.Of(db.Database).Literal(true)}} ORDER BY s."SortKey" DESC, s."Id" DESC LIMIT 1) AS "Newest"
                FROM "Threads" t
                WHERE t."LatestSortKey" IS NOT NULL AND t."ArticleCount" >= {{StoreDialect.Literal(DevelopingMinimum)}}
                    {{(after is null ? "" : """AND (t."LatestSortKey" < {0} OR (t."LatestSortKey" = {0} AND t."Id" < {1}))""")}}
                ORDER BY t."LatestSortKey" DESC, t."Id" DESC
                LIMIT {{StoreDialect.Literal(take)}}) x
            LEFT JOIN "Articles" a ON a."Id" = x."Newest"
            ORDER BY x."LatestSortKey" DESC, x."Id" DESC
            """;
        object[] position = after is { } cursor ? [cursor.SortKey, cursor.Id] : [];
        var rows = await db.Database.RowsAsync<DevelopingRow>(sql, position, cancellationToken);
        return [.. rows.Select(r => new ActiveThread(r.Id, r.Name, r.Slug, r.ArticleCount, r.LatestSortKey)
        {
            Latest = r.StoryId is { } id ? new Headline(id, r.StoryTitle!, r.StorySlug!, r.StoryOn!.Value) : null,
        })];
    }

    /// <summary>A thread's newest public stories, leaving out <paramref name="except"/> (the story being read).</summary>
    public async Task<List<Headline>> NewestAsync(int threadId, int take, int? except, CancellationToken cancellationToken = default)
    {
        var rows = await articles.WalkAsync<Headline>(Listing.InThread(threadId), Headline.Columns, null, older: true,
            take + (except is null ? 0 : 1), cancellationToken);
        return [.. rows.Where(r => r.Id != except).Take(take)];
    }

    /// <summary>
    /// The developing story a story with this text, date and categories probably follows (see <see cref="ThreadMatch"/>),
    /// for the editor to accept or not; null when none stands out. Reads the most recently active threads and each
    /// one's newest stories, through the threads' and the stories' thread indexes: bounded, whatever the archive holds.
    /// </summary>
    public async Task<ThreadMatch.Candidate?> SuggestAsync(string text, DateOnly on, IReadOnlyList<string> categories, CancellationToken cancellationToken = default)
    {
        var keys = categories.Select(NameKey.For).ToList();
        List<int> categoryIds = keys.Count == 0 ? [] : await db.Categories.AsNoTracking().Where(c => keys.Contains(c.NameKey)).Select(c => c.Id).ToListAsync(cancellationToken);
        var dialect = StoreDialect.Of(db.Database);
        // Limits and ids are the portal's own numbers, written into the SQL so PostgreSQL can keep one plan for it.
        var sharesCategory = categoryIds.Count == 0
            ? dialect.Literal(false)
            : $"""EXISTS (SELECT 1 FROM "ArticleCategories" x WHERE x."ArticlesId" = a."Id" AND x."CategoriesId" IN ({string.Join(", ", categoryIds.Select(id => StoreDialect.Literal(id)))}))""";
        var newest = dialect.JoinEach("Articles", "a",
            $"""SELECT s."Id" FROM "Articles" s WHERE s."ThreadId" = t."Id" AND s."Listed" = {dialect.Literal(true)} ORDER BY s."SortKey" DESC, s."Id" DESC LIMIT {StoreDialect.Literal(ThreadMatch.StoriesPerThread)}""");
        var sql = $"""
            SELECT t."Id", t."Name", t."LatestSortKey", a."Title", a."Lede", a."PublishedOn", {sharesCategory} AS "SharesCategory"
            FROM (SELECT "Id", "Name", "LatestSortKey" FROM "Threads" WHERE "LatestSortKey" IS NOT NULL ORDER BY "LatestSortKey" DESC, "Id" DESC LIMIT {StoreDialect.Literal(ThreadMatch.Threads)}) t
            {newest}
            """;
        var rows = await db.Database.RowsAsync<ProfileRow>(sql, [], cancellationToken);
        var candidates = rows.GroupBy(r => (r.Id, r.Name, r.LatestSortKey))
            .OrderByDescending(g => g.Key.LatestSortKey).ThenByDescending(g => g.Key.Id)
            .Select(g => new ThreadMatch.Candidate(g.Key.Id, g.Key.Name, [.. g.Select(r => new ThreadMatch.Story(r.Title + " " + r.Lede, r.PublishedOn, r.SharesCategory))]))
            .ToList();
        return ThreadMatch.Best(text, on, candidates);
    }

    private sealed record ProfileRow(int Id, string Name, long LatestSortKey, string Title, string Lede, DateOnly PublishedOn, bool SharesCategory);

    private sealed record DevelopingRow(
        int Id, string Name, string Slug, int ArticleCount, long LatestSortKey, int? StoryId, string? StoryTitle, string? StorySlug, DateOnly? StoryOn);
}
