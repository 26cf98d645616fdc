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
/// made text in the same pass, and the pages showing it evicted. So is a body's plain text (what search indexes and
/// quotes) where it differs from what the body gives today, with the lede made from it (the BracketText migration
/// hands those stories here).
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
    /// <summary>
    /// Hands this renderer the stories whose plain text may have lost a '[' that opens no link (releases before
    /// 2026-12-02 dropped it, so "Gaza[Reuters" was indexed as one word), for the BracketText migration on either
    /// store. A link has one '[' for each "](", so bodies whose counts agree (most linked ones) are left alone.
    /// </summary>
    public const string BodiesWithLoneBrackets = """
        UPDATE "Articles" SET "BodyHtml" = NULL
        WHERE length("Body") - length(replace("Body", '[', '')) <> (length("Body") - length(replace("Body", '](', ''))) / 2
        """;

    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Idle);
        await new RepeatedFailures(logger, "render stored bodies", clock).RunAsync(timer, async cancellationToken =>
        {
            // Batch after batch while any story waits, then a look every few seconds.
            var total = 0;
            for (int rendered; (rendered = await RenderBatchAsync(cancellationToken)) > 0;)
            {
                total += rendered;
            }

            if (total > 0)
            {
                logger.LogInformation("Rendered the bodies of {Count} stories", total);
            }
        }, stoppingToken);
    }

    private sealed record Unrendered(int Id, string Title, string Body, string BodyText, string Lede, string? Summary, string? Dateline, DateOnly PublishedOn, DateTime? DocumentDate);

    /// <summary>Renders up to one batch of bodies that have no HTML; returns how many.</summary>
    public async Task<int> RenderBatchAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        // Read through the index of stories without HTML: scanning the table in id order would pass over every story
        // already rendered, more of them with each batch.
        // The batch stops where the bodies before a story already pass the size of a batch.
        var unrendered = $"""
            SELECT "Id", "Title", "Body", "BodyText", "Lede", "Summary", "Dateline", "PublishedOn", "DocumentDate" FROM (
                SELECT "Id", "Title", "Body", "BodyText", "Lede", "Summary", "Dateline", "PublishedOn", "DocumentDate",
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

        var rendered = rows.Select(r => (Row: r, Html: markdown.ToHtml(r.Body, r.Dateline), Headline: MarkdownRenderer.LineText(r.Title), Text: markdown.PlainText(r.Body))).ToList();
        var pages = scope.ServiceProvider.GetRequiredService<PageCache>();
        var reworded = new List<string>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var (row, html, headline, text) in rendered)
        {
            // Only if the story is still the one rendered: a story changed meanwhile waits for the next pass. A column
            // is written only when it changes: writing the headline or text again would rewrite the story's search
            // entry for nothing. The importer knows a story by its headline's key, which follows the headline.
            var columns = new List<string> { "\"BodyHtml\" = {0}" };
            var values = new List<object> { html, row.Id, row.Body, row.Title };
            if (headline != row.Title)
            {
                columns.Add($"\"Title\" = {{{values.Count}}}, \"TitleKey\" = {{{values.Count + 1}}}");
                values.AddRange([headline, MatchKeys.ForTitle(headline, row.DocumentDate, row.PublishedOn)]);
            }

            if (text != row.BodyText)
            {
                columns.Add($"\"BodyText\" = {{{values.Count}}}");
                values.Add(text);
                // A lede made from the body (there is no editor's summary) lost what the text lost.
                if (row.Summary is null && markdown.Lede(row.Body, Article.LedeMaxLength) is var lede && lede != row.Lede)
                {
                    columns.Add($"\"Lede\" = {{{values.Count}}}");
                    values.Add(lede);
                }
            }

            // The columns are this method's own; every value is a parameter.
            var update = $$"""
                UPDATE "Articles" SET {{string.Join(", ", columns)}}
                WHERE "Id" = {1} AND "BodyHtml" IS NULL AND "Body" = {2} AND "Title" = {3}
                """;
            var changed = await db.Database.ExecuteSqlRawAsync(update, values, cancellationToken);
            if (changed > 0 && columns.Count > 1)
            {
                reworded.Add(CacheTags.Article(row.Id));
            }
        }

        // New words may now match a search that found nothing.
        if (reworded.Count > 0)
        {
            reworded.Add(CacheTags.Search);
        }

        pages.Record(reworded);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await pages.EvictAsync(reworded, cancellationToken);
        return rows.Count;
    }
}
