using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Api;

public sealed record ApiArticleFilter(string? Category, string? Source, string? Language, string? Status, DateOnly? From, DateOnly? To, string? Text);

/// <summary>
/// The API's reads. Lists page by cursor on (published date, id), newest first, so a page never repeats or skips
/// an article because others were added meanwhile.
/// </summary>
public sealed class ArticleApiService(NewsDbContext db, MarkdownRenderer markdown, TimeProvider clock)
{
    public const int MaxLimit = 100;

    /// <summary>Lists articles; <paramref name="editor"/> may see every status, others only what is public.</summary>
    public async Task<ApiPage<ApiArticleSummary>?> ListAsync(ApiArticleFilter filter, string? cursor, int limit, bool editor, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var articles = db.Articles.AsNoTracking();
        articles = articles.WithStatus(editor ? filter.Status : null, now, all => all.Where(ArticleVisibility.IsPublicAt(now)));
        if (!string.IsNullOrWhiteSpace(filter.Category))
        {
            articles = articles.Where(a => a.Categories.Any(c => c.Slug == filter.Category));
        }

        if (!string.IsNullOrWhiteSpace(filter.Source))
        {
            articles = articles.Where(a => a.Sources.Any(s => s.Slug == filter.Source));
        }

        if (!string.IsNullOrWhiteSpace(filter.Language))
        {
            var language = filter.Language.ToLowerInvariant();
            articles = articles.Where(a => a.Language.ToLower() == language || a.Language.ToLower().StartsWith(language + "-"));
        }

        if (filter.From is { } from)
        {
            articles = articles.Where(a => a.PublishedOn >= from);
        }

        if (filter.To is { } to)
        {
            articles = articles.Where(a => a.PublishedOn <= to);
        }

        if (!string.IsNullOrWhiteSpace(filter.Text))
        {
            var text = filter.Text.Trim();
            articles = articles.Where(a => a.Title.Contains(text) || a.Body.Contains(text));
        }

        if (cursor is not null)
        {
            if (!TryReadCursor(cursor, out var date, out var id))
            {
                return null;
            }

            articles = articles.Where(a => a.PublishedOn < date || (a.PublishedOn == date && a.Id < id));
        }

        var rows = await articles.OrderByDescending(a => a.PublishedOn).ThenByDescending(a => a.Id).Take(limit + 1)
            .Select(a => new
            {
                a.Id,
                a.Slug,
                a.Title,
                a.Lede,
                a.PublishedOn,
                a.DocumentDate,
                a.Language,
                a.Status,
                a.PublishAtUtc,
                a.UpdatedAtUtc,
                Deleted = a.DeletedAtUtc != null,
                Categories = a.Categories.OrderBy(c => c.Name).Select(c => c.Name).ToList(),
                Sources = a.Sources.OrderBy(s => s.Name).Select(s => s.Name).ToList(),
            })
            .AsSplitQuery()
            .ToListAsync(cancellationToken);
        var page = rows.Take(limit).ToList();
        var next = rows.Count > limit ? WriteCursor(page[^1].PublishedOn, page[^1].Id) : null;
        return new ApiPage<ApiArticleSummary>(
            [.. page.Select(r => new ApiArticleSummary(r.Slug, r.Title, r.Lede, r.PublishedOn, r.DocumentDate, r.Language,
                r.Deleted ? "Deleted" : ArticleVisibility.Effective(r.Status, r.PublishAtUtc, now).ToString(), r.PublishAtUtc, r.UpdatedAtUtc, r.Categories, r.Sources))],
            next);
    }

    /// <summary>One article by slug; null when it does not exist or (for readers) is not public. Gone when deleted.</summary>
    public async Task<(ApiArticle? Article, bool Gone, int Id)> GetAsync(string slug, bool editor, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var query = db.Articles.AsNoTracking().Where(a => a.Slug == slug);
        var row = await query.Select(a => new
        {
            a.Id,
            a.Slug,
            a.Title,
            a.Dateline,
            a.Body,
            a.Lede,
            a.PublishedOn,
            a.DocumentDate,
            a.Language,
            a.Site,
            a.OriginalUrl,
            Categories = a.Categories.OrderBy(c => c.Name).Select(c => c.Name).ToList(),
            Sources = a.Sources.OrderBy(s => s.Name).Select(s => s.Name).ToList(),
            a.Status,
            a.PublishAtUtc,
            a.CorrectionNote,
            a.CreatedAtUtc,
            a.UpdatedAtUtc,
            a.Version,
            a.DeletedAtUtc,
        }).AsSplitQuery().SingleOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return (null, false, 0);
        }

        if (row.DeletedAtUtc is not null)
        {
            return (null, true, row.Id);
        }

        var status = ArticleVisibility.Effective(row.Status, row.PublishAtUtc, now);
        if (!editor && status != ArticleStatus.Published)
        {
            return (null, false, 0);
        }

        return (new ApiArticle(row.Slug, row.Title, row.Dateline, row.Body, markdown.ToHtml(row.Body, row.Dateline), row.Lede, row.PublishedOn,
            row.DocumentDate, row.Language, row.Site, row.OriginalUrl, row.Categories, row.Sources, status.ToString(), row.PublishAtUtc,
            row.CorrectionNote, row.CreatedAtUtc, row.UpdatedAtUtc, row.Version), false, row.Id);
    }

    private static string WriteCursor(DateOnly date, int id)
        => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{date:yyyy-MM-dd}|{id}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryReadCursor(string cursor, out DateOnly date, out int id)
    {
        (date, id) = (default, 0);
        try
        {
            var padded = cursor.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(padded)).Split('|');
            return parts.Length == 2
                && DateOnly.TryParseExact(parts[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date)
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out id);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
