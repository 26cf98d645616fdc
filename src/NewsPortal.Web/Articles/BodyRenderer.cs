using Microsoft.EntityFrameworkCore;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Articles;

/// <summary>
/// Renders, in the background, the bodies of stories stored without their HTML (imports leave it to this, and
/// stores from before it was kept), so that pages and feeds read it instead of rendering it on every view. No reader
/// waits for it: until a story's turn comes, its pages render the body as they show it.
/// </summary>
public sealed class BodyRenderer(IServiceScopeFactory scopes, MarkdownRenderer markdown, ILogger<BodyRenderer> logger) : BackgroundService
{
    private const int BatchSize = 200;
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var total = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var rendered = 0;
            try
            {
                rendered = await RenderBatchAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not render stored bodies; trying again");
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

    private sealed record Unrendered(int Id, string Body, string? Dateline);

    /// <summary>Renders up to one batch of bodies that have no HTML; returns how many.</summary>
    public async Task<int> RenderBatchAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        // Read through the index of stories without HTML: scanning the table in id order would pass over every story
        // already rendered, more of them with each batch.
        var unrendered = $"""
            SELECT "Id", "Body", "Dateline" FROM "Articles"{StoreDialect.Of(db.Database).IndexedBy("IX_Articles_BodyHtml_Missing")}
            WHERE "BodyHtml" IS NULL ORDER BY "Id" LIMIT {BatchSize}
            """;
        var rows = await db.Database.SqlQueryRaw<Unrendered>(unrendered).ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            return 0;
        }

        var rendered = rows.Select(r => (r.Id, r.Body, Html: markdown.ToHtml(r.Body, r.Dateline))).ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var (id, body, html) in rendered)
        {
            // Only if the body is still the one rendered: a story changed meanwhile waits for the next pass.
            await db.Database.ExecuteSqlAsync(
                $"""UPDATE "Articles" SET "BodyHtml" = {html} WHERE "Id" = {id} AND "BodyHtml" IS NULL AND "Body" = {body}""", cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return rows.Count;
    }
}
