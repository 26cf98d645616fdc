using System.Text;
using Microsoft.EntityFrameworkCore;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Data;

namespace NewsPortal.Web.Import;

/// <summary>
/// Writes the store back out, in the same formats the importer reads, a batch at a time. JSON Lines carry every
/// story with its status, publish time, deletion, correction note and former addresses, with the other names of
/// categories, sources and threads beside them (<see cref="StoreMove"/>); snippet files have no place for those, so
/// only public stories are written as snippets (importing one publishes it).
/// </summary>
public sealed class ExportService(NewsDbContext db, StoreMove storeMove, ILogger<ExportService> logger)
{
    private const int BatchSize = 500;
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// JSON Lines go to <c>articles.jsonl</c> in <paramref name="directory"/>, with the files <see cref="StoreMove"/>
    /// writes beside them (with <paramref name="everythingSealedWith"/>, the accounts and history too, their secrets
    /// sealed with it); snippets to one <c>{slug}.txt</c> each. Returns the count of stories.
    /// </summary>
    public async Task<int> ExportAsync(ImportFormat format, string directory, MoveSeal? everythingSealedWith = null, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(directory);
        var count = 0;
        if (format == ImportFormat.JsonLines)
        {
            await Shared.HostFolders.WriteWholeAsync(Path.Combine(directory, "articles.jsonl"),
                async jsonLines => count = await WriteStoriesAsync(jsonLines, directory, cancellationToken), cancellationToken);
            await storeMove.WriteAsync(directory, everythingSealedWith, cancellationToken);
        }
        else
        {
            count = await WriteStoriesAsync(null, directory, cancellationToken);
        }

        logger.LogInformation("Exported {Count} articles as {Format} to {Directory}", count, format, directory);
        return count;
    }

    /// <summary>Every story as a JSON line to <paramref name="jsonLines"/>, or else the published ones as a snippet file each.</summary>
    private async Task<int> WriteStoriesAsync(StreamWriter? jsonLines, string directory, CancellationToken cancellationToken)
    {
        var everyStory = jsonLines is not null;
        var count = 0;
        var lastId = 0;
        while (true)
        {
            // Keyset paging by id: constant memory and a stable order however large the store is.
            var page = await db.Articles.AsNoTracking()
                .Where(a => a.Id > lastId)
                .Where(a => everyStory || (a.Status == ArticleStatus.Published && a.DeletedAtUtc == null))
                .OrderBy(a => a.Id)
                .Take(BatchSize)
                .Select(a => new
                {
                    a.Id,
                    Document = new SnippetDocument(
                        a.Title,
                        a.PublishedOn,
                        a.DocumentDate,
                        a.Language,
                        a.Categories.OrderBy(c => c.Name).Select(c => c.Name).ToList(),
                        a.OriginalUrl,
                        a.Site,
                        a.Sources.OrderBy(s => s.Name).Select(s => s.Name).ToList(),
                        a.Dateline,
                        a.Body)
                    {
                        Slug = a.Slug,
                        CreatedAtUtc = a.CreatedAtUtc,
                        UpdatedAtUtc = a.UpdatedAtUtc,
                        Status = a.Status,
                        PublishAtUtc = a.PublishAtUtc,
                        DeletedAtUtc = a.DeletedAtUtc,
                        CorrectionNote = a.CorrectionNote,
                        License = a.License,
                        Thread = a.Thread != null ? a.Thread.Name : null,
                        ImageUrl = a.ImageUrl,
                        ImageAlt = a.ImageAlt,
                        Summary = a.Summary,
                    },
                })
                .AsSplitQuery()
                .ToListAsync(cancellationToken);
            if (page.Count == 0)
            {
                break;
            }

            var ids = page.Select(r => r.Id).ToList();
            var formerSlugs = (await db.SlugRedirects.AsNoTracking().Where(r => ids.Contains(r.ArticleId)).Select(r => new { r.ArticleId, r.Slug }).ToListAsync(cancellationToken))
                .ToLookup(r => r.ArticleId, r => r.Slug);
            foreach (var row in page)
            {
                if (jsonLines is not null)
                {
                    var document = row.Document with { FormerSlugs = [.. formerSlugs[row.Id].Order(StringComparer.Ordinal)] };
                    await jsonLines.WriteLineAsync(JsonLines.Write(document).AsMemory(), cancellationToken);
                }
                else
                {
                    await File.WriteAllTextAsync(Path.Combine(directory, row.Document.Slug + ".txt"), SnippetWriter.Write(row.Document), Utf8, cancellationToken);
                }
            }

            count += page.Count;
            lastId = page[^1].Id;
            logger.LogInformation("Export progress: {Count} articles written", count);
        }

        return count;
    }
}
