using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsPortal.Web.Data;
using NewsPortal.Web.Languages;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Articles;

public sealed class ArticleService(NewsDbContext db, MarkdownRenderer markdown, TimeProvider clock, IOptions<PortalOptions> options)
{
    private int PageSize => options.Value.PageSize;

    /// <summary>Articles readers may see now: published, or scheduled and due, and not deleted.</summary>
    private IQueryable<Article> Public => db.Articles.Where(ArticleVisibility.IsPublicAt(clock.GetUtcNow().UtcDateTime));

    /// <summary>All articles, newest first. A page number out of range gives the nearest page that exists.</summary>
    public Task<PagedList<ArticleCard>> ListAsync(long page, CancellationToken cancellationToken = default)
        => ListAsync(Public, page, cancellationToken);

    public Task<PagedList<ArticleCard>> ListInCategoryAsync(int categoryId, long page, CancellationToken cancellationToken = default)
        => ListAsync(Public.Where(a => a.Categories.Any(c => c.Id == categoryId)), page, cancellationToken);

    public Task<PagedList<ArticleCard>> ListFromSourceAsync(int sourceId, long page, CancellationToken cancellationToken = default)
        => ListAsync(Public.Where(a => a.Sources.Any(s => s.Id == sourceId)), page, cancellationToken);

    /// <summary>Public articles published (by their "Published on" date) in one month, newest first.</summary>
    public Task<PagedList<ArticleCard>> ListInMonthAsync(int year, int month, long page, CancellationToken cancellationToken = default)
    {
        var first = new DateOnly(year, month, 1);
        var next = first.AddMonths(1);
        return ListAsync(Public.Where(a => a.PublishedOn >= first && a.PublishedOn < next), page, cancellationToken);
    }

    /// <summary>Every month that has public articles, newest first, with how many.</summary>
    public async Task<List<ArchiveMonth>> MonthsAsync(CancellationToken cancellationToken = default)
        => (await Public.AsNoTracking()
            .GroupBy(a => new { a.PublishedOn.Year, a.PublishedOn.Month })
            .Select(g => new { g.Key.Year, g.Key.Month, Count = g.Count() })
            .ToListAsync(cancellationToken))
            .Select(m => new ArchiveMonth(m.Year, m.Month, m.Count))
            .OrderByDescending(m => m.Year).ThenByDescending(m => m.Month)
            .ToList();

    public Task<PagedList<ArticleCard>> ListInLanguageAsync(string tag, long page, CancellationToken cancellationToken = default)
        => ListAsync(Public.Where(LanguageService.In(tag)), page, cancellationToken);

    /// <summary>The public article with this slug; <see cref="ArticleLookup.Gone"/> when it was deleted.</summary>
    public async Task<ArticleLookup> GetBySlugAsync(string slug, CancellationToken cancellationToken = default)
    {
        if (await db.Articles.AnyAsync(a => a.Slug == slug && a.DeletedAtUtc != null, cancellationToken))
        {
            return new ArticleLookup(null, Gone: true);
        }

        var article = await Public.AsNoTracking()
            .Where(a => a.Slug == slug)
            .Select(a => new
            {
                a.Id,
                a.Title,
                a.Slug,
                a.Dateline,
                a.Body,
                a.Lede,
                a.PublishedOn,
                a.DocumentDate,
                a.Language,
                a.Site,
                a.OriginalUrl,
                a.UpdatedAtUtc,
                a.CorrectionNote,
                Categories = a.Categories.OrderBy(c => c.Name).Select(c => new NamedLink(c.Name, c.Slug)).ToList(),
                Sources = a.Sources.OrderBy(s => s.Name).Select(s => new NamedLink(s.Name, s.Slug)).ToList(),
            })
            .AsSplitQuery()
            .SingleOrDefaultAsync(cancellationToken);

        return new ArticleLookup(
            article is null
                ? null
                : new ArticleDetails(
                    article.Id, article.Title, article.Slug, article.Dateline, markdown.ToHtml(article.Body, article.Dateline), article.Lede,
                    article.PublishedOn, article.DocumentDate, article.Language, article.Site, article.OriginalUrl,
                    article.UpdatedAtUtc, article.CorrectionNote, article.Categories, article.Sources)
                {
                    ReadingMinutes = Math.Max(1, (int)Math.Ceiling(WordCount(article.Body) / 200.0)),
                },
            Gone: false);
    }

    /// <summary>The public stories just newer and just older than this one in its first category (by name).</summary>
    public async Task<CategoryNeighbours?> NeighboursAsync(ArticleDetails article, CancellationToken cancellationToken = default)
    {
        if (article.Categories.Count == 0)
        {
            return null;
        }

        var category = article.Categories[0];
        var (date, id) = (article.PublishedOn, article.Id);
        var inCategory = Public.AsNoTracking().Where(a => a.Categories.Any(c => c.Slug == category.Slug));
        var older = await inCategory.Where(a => a.PublishedOn < date || (a.PublishedOn == date && a.Id < id))
            .OrderByDescending(a => a.PublishedOn).ThenByDescending(a => a.Id)
            .Select(a => new NamedLink(a.Title, a.Slug)).FirstOrDefaultAsync(cancellationToken);
        var newer = await inCategory.Where(a => a.PublishedOn > date || (a.PublishedOn == date && a.Id > id))
            .OrderBy(a => a.PublishedOn).ThenBy(a => a.Id)
            .Select(a => new NamedLink(a.Title, a.Slug)).FirstOrDefaultAsync(cancellationToken);
        return new CategoryNeighbours(category, newer, older);
    }

    private static int WordCount(string text)
    {
        var words = 0;
        var inWord = false;
        foreach (var c in text)
        {
            var letter = char.IsLetterOrDigit(c);
            words += letter && !inWord ? 1 : 0;
            inWord = letter;
        }

        return words;
    }

    private async Task<PagedList<ArticleCard>> ListAsync(IQueryable<Article> articles, long page, CancellationToken cancellationToken)
    {
        var total = await articles.CountAsync(cancellationToken);
        var pageNumber = PageNumber.Clamp(page, total, PageSize);
        var items = await articles.AsNoTracking()
            .OrderByDescending(a => a.PublishedOn)
            .ThenByDescending(a => a.DocumentDate)
            .ThenByDescending(a => a.Id)
            .Skip((pageNumber - 1) * PageSize)
            .Take(PageSize)
            .Select(a => new ArticleCard(
                a.Title,
                a.Slug,
                a.Lede,
                a.PublishedOn,
                a.Language,
                a.Categories.OrderBy(c => c.Name).Select(c => new NamedLink(c.Name, c.Slug)).ToList(),
                a.Sources.OrderBy(s => s.Name).Select(s => new NamedLink(s.Name, s.Slug)).ToList()))
            .AsSplitQuery()
            .ToListAsync(cancellationToken);
        return new PagedList<ArticleCard>(items, pageNumber, PageSize, total);
    }
}
