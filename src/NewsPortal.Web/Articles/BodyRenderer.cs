using Microsoft.EntityFrameworkCore;
using NewsPortal.Web.Caching;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Articles;

/// <summary>
/// Renders, in the background, the bodies of stories stored without their HTML (imports leave it to this, and
/// stores from before it was kept), so that pages and feeds read it instead of rendering it on every view. No reader
/// waits for it: until a story's turn comes, its pages render the body as they show it. A headline stored with
/// Markdown in it (before headlines were kept as text; the PlainHeadlines migration hands those stories here) is
/// made text in the same pass, and the pages showing it evicted.
/// </summary>
public sealed class BodyRenderer(IServiceScopeFactory scopes, MarkdownRenderer markdown, TimeProvider clock, ILogger<BodyRenderer> logger) : BackgroundService
{
    private const int BatchSize = 200;

    /// <summary>
    /// Body text a batch holds at most, beyond its first story: two hundred of the longest bodies, with their HTML,
    /// would be a quarter of a gigabyte in the site's memory at once.
    /// </summary>
    public const int BatchCharacters = 1 << 20;

    /// <summary>
    /// Hands this renderer the stories whose headline may hold Markdown (a character Markdown reads, or a line
    /// opening as a heading, quote or list does), for the PlainHeadlines migration on either store.
    /// </summary>
    public const string HeadlinesWithMarkdown = """
        UPDATE "Articles" SET "BodyHtml" = NULL
        WHERE "Title" LIKE '%*%' OR "Title" LIKE '%!_%' ESCAPE '!' OR "Title" LIKE '%`%' OR "Title" LIKE '%[%' OR "Title" LIKE '%~%'
            OR "Title" LIKE '%\%' ESCAPE '!' OR "Title" LIKE '%&%' OR "Title" LIKE '%<%'
            OR "Title" LIKE '#%' OR "Title" LIKE '>%' OR "Title" LIKE '-%' OR "Title" LIKE '+%' OR "Title" LIKE '=%'
        """;
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var total = 0;
        var failures = new RepeatedFailures(logger, "render stored bodies", clock);
        while (!stoppingToken.IsCancellationRequested)
        {
            var rendered = 0;
            try
            {
                rendered = await RenderBatchAsync(stoppingToken);
                failures.Succeeded();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures.Failed(ex);
            }

            total += rendered;
            if (rendered == 0)
            {
                if (total > 0)
                {
                    logger.LogInformation("Rendered the bodies of {Count} stories", total);
                    total = 0;
                }

                await Task.Delay(Idle, stoppingToken);
            }
        }
    }

    private sealed record Unrendered(int Id, string Title, string Body, string? Dateline, DateOnly PublishedOn, DateTime? DocumentDate);

    /// <summary>Renders up to one batch of bodies that have no HTML; returns how many.</summary>
    public async Task<int> RenderBatchAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        // Read through the index of stories without HTML: scanning the table in id order would pass over every story
        // already rendered, more of them with each batch.
        // The batch stops where the bodies before a story already pass the size of a batch.
        var unrendered = $"""
            SELECT "Id", "Title", "Body", "Dateline", "PublishedOn", "DocumentDate" FROM (
                SELECT "Id", "Title", "Body", "Dateline", "PublishedOn", "DocumentDate",
                    SUM(length("Body")) OVER (ORDER BY "Id") - length("Body") AS "Before"
                FROM "Articles"{StoreDialect.Of(db.Database).IndexedBy("IX_Articles_BodyHtml_Missing")}
                WHERE "BodyHtml" IS NULL ORDER BY "Id" LIMIT {BatchSize}) AS "Batch"
            WHERE "Before" < {BatchCharacters}
            ORDER BY "Id"
            """;
        var rows = await db.Database.SqlQueryRaw<Unrendered>(unrendered).ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            return 0;
        }

        var rendered = rows.Select(r => (r, Headline: MarkdownRenderer.LineText(r.Title)))
            .Select(x => (x.r.Id, x.r.Title, x.r.Body, Html: markdown.ToHtml(x.r.Body, x.r.Dateline), x.Headline,
                TitleKey: MatchKeys.ForTitle(x.Headline, x.r.DocumentDate, x.r.PublishedOn))).ToList();
        var pages = scope.ServiceProvider.GetRequiredService<PageCache>();
        var retitled = new List<string>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var (id, title, body, html, headline, titleKey) in rendered)
        {
            // Only if the story is still the one rendered: a story changed meanwhile waits for the next pass. The
            // importer knows a story by its headline's key, which follows the headline.
            var changed = await db.Database.ExecuteSqlAsync(
                $"""
                UPDATE "Articles" SET "BodyHtml" = {html}, "Title" = {headline}, "TitleKey" = {titleKey}
                WHERE "Id" = {id} AND "BodyHtml" IS NULL AND "Body" = {body} AND "Title" = {title}
                """, cancellationToken);
            if (changed > 0 && headline != title)
            {
                retitled.Add(CacheTags.Article(id));
            }
        }

        pages.Record(retitled);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await pages.EvictAsync(retitled, cancellationToken);
        return rows.Count;
    }
}
