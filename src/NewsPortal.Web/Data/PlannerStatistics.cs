using Microsoft.EntityFrameworkCore;

namespace NewsPortal.Web.Data;

/// <summary>
/// The statistics SQLite plans queries with, fixed to the shape of a newsroom's store (a million stories, a hundred
/// categories, two thousand sources) instead of measured. Every public query is written so that one index serves
/// it; fixed statistics keep SQLite choosing that index whatever the store holds, where measured ones would follow
/// its size (on an empty store, ANALYZE records empty tables, and SQLite then prefers scanning them). Written at
/// start-up; ANALYZE is never run. Tables not named here are planned by SQLite's own defaults.
/// </summary>
public static class PlannerStatistics
{
    public static IReadOnlyList<(string Table, string? Index, string Stat)> Rows { get; } =
    [
        ("Articles", "IX_Articles_Listed_SortKey_Id", "1000000 500000 1 1"),
        ("Articles", "IX_Articles_Language_Listing", "1000000 100000 50000 1 1"),
        ("Articles", "IX_Articles_Slug", "1000000 1"),
        ("Articles", "IX_Articles_Status_PublishAtUtc", "1000000 250000 1"),
        ("Articles", "IX_Articles_TitleKey", "1000000 1"),
        ("Articles", "IX_Articles_UrlKey", "1000000 1"),
        ("Articles", "IX_Articles_BodyHtml_Missing", "1000 1"),
        ("ArticleCategories", "IX_ArticleCategories_CategoriesId_Listed_SortKey_ArticlesId", "2500000 25000 12500 1 1"),
        ("ArticleCategories", "sqlite_autoindex_ArticleCategories_1", "2500000 3 1"),
        ("ArticleSources", "IX_ArticleSources_SourcesId_Listed_SortKey_ArticlesId", "1500000 750 375 1 1"),
        ("ArticleSources", "sqlite_autoindex_ArticleSources_1", "1500000 2 1"),
        ("Categories", "IX_Categories_Slug", "100 1"),
        ("Categories", "IX_Categories_NameKey", "100 1"),
        ("Categories", "IX_Categories_IndexKey", "100 1"),
        ("Sources", "IX_Sources_Slug", "2000 1"),
        ("Sources", "IX_Sources_NameKey", "2000 1"),
        ("Sources", "IX_Sources_IndexKey", "2000 1"),
        ("ListingCounts", "sqlite_autoindex_ListingCounts_1", "200 1"),
        ("CacheInvalidations", null, "100000"),
    ];

    /// <summary>Replaces whatever statistics the store has with these, and has SQLite load them.</summary>
    public static async Task ApplyAsync(NewsDbContext db, CancellationToken cancellationToken = default)
    {
        if (!db.Database.IsSqlite())
        {
            return;
        }

        // ANALYZE of a one-row table creates sqlite_stat1 where it does not exist yet, and costs nothing.
        var rows = string.Join(", ", Rows.Select(r => $"('{r.Table}', {(r.Index is null ? "NULL" : $"'{r.Index}'")}, '{r.Stat}')"));
        var sql = $"""
            ANALYZE "SearchIndexing";
            DELETE FROM sqlite_stat1;
            INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES {rows};
            ANALYZE sqlite_schema;
            """;
        await db.Database.ExecuteSqlRawAsync(sql, cancellationToken);
    }
}
