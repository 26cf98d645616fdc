using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Search;

/// <summary>
/// Keeps SQLite's search index in few segments. FTS5 writes each transaction's entries as a segment of their own and
/// merges segments four at a time, so a store edited story by story, or filled by small imports, gathers a dozen
/// (13 after 1,000 saves at 1,000,000 stories), and every search and every article's related stories read each one:
/// merged into one, the article page took 2.3 to 2.5 ms against 3.2 to 3.8. The site looks every few minutes and
/// merges once there are more than <see cref="MostSegments"/>; a large import merges as it ends.
/// </summary>
public sealed class SearchIndexUpkeep(IServiceScopeFactory scopes, TimeProvider clock, ILogger<SearchIndexUpkeep> logger) : BackgroundService
{
    /// <summary>Segments the index may hold before the site merges them: some sixty saves after a merge.</summary>
    public const int MostSegments = 8;

    /// <summary>Pages (4 KB each) one step of a merge writes: 30 ms or so at 1,000,000 stories.</summary>
    private const int StepPages = 500;

    private static readonly TimeSpan Every = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, clock);
        await new RepeatedFailures(logger, "merge the search index", clock)
            .RunAsync(timer, cancellationToken => MergeIfFragmentedAsync(MostSegments, cancellationToken), stoppingToken);
    }

    /// <summary>Merges the index into one segment if it has more than <paramref name="mostSegments"/>; returns whether it did.</summary>
    public async Task<bool> MergeIfFragmentedAsync(int mostSegments = MostSegments, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var database = scope.ServiceProvider.GetRequiredService<NewsDbContext>().Database;
        var segments = await SegmentsAsync(database, cancellationToken);
        if (segments <= mostSegments)
        {
            return false;
        }

        var merging = Stopwatch.StartNew();
        await MergeAsync(database, clock, cancellationToken);
        logger.LogInformation("Merged the search index's {Segments} segments into one in {Seconds:0.0} s", segments, merging.Elapsed.TotalSeconds);
        return true;
    }

    /// <summary>The segments of the index: each has its own rows in the index of its pages.</summary>
    public static Task<int> SegmentsAsync(DatabaseFacade database, CancellationToken cancellationToken = default)
        => database.SqlQueryRaw<int>("""SELECT count(DISTINCT "segid") AS "Value" FROM "ArticleSearch_idx" """).SingleAsync(cancellationToken);

    /// <summary>
    /// Merges the index into one segment, a few megabytes a step, each step a write of its own followed by a pause as
    /// long: one 'optimize' held the store's write lock for 3 to 4 s at 1,000,000 stories (a save every 50 ms waited
    /// 3.0 s, and Ctrl-C could not stop it); in steps of 0.03 to 0.15 s (6.3 s with the pauses after a fresh import),
    /// that save waited 0.23 to 0.43 s at most, and a stop is honoured between steps, leaving a whole index.
    /// </summary>
    public static async Task MergeAsync(DatabaseFacade database, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        // total_changes() counts the connection's own writes, so every step is on the one connection.
        await database.OpenConnectionAsync(cancellationToken);
        try
        {
            while (true)
            {
                var started = clock.GetTimestamp();
                var before = await TotalChangesAsync(database, cancellationToken);
                // A negative step merges segments of every level, as few as two, until one is left.
                await database.ExecuteSqlRawAsync($"""INSERT INTO "ArticleSearch"("ArticleSearch", rank) VALUES ('merge', -{StepPages})""", cancellationToken);
                // FTS5's own test of whether a step found anything to merge: fewer than two rows written.
                if (await TotalChangesAsync(database, cancellationToken) - before < 2)
                {
                    return;
                }

                var took = clock.GetElapsedTime(started);
                await Task.Delay(took < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : took, clock, cancellationToken);
            }
        }
        finally
        {
            await database.CloseConnectionAsync();
        }
    }

    private static Task<long> TotalChangesAsync(DatabaseFacade database, CancellationToken cancellationToken)
        => database.SqlQueryRaw<long>("""SELECT total_changes() AS "Value" """).SingleAsync(cancellationToken);
}
