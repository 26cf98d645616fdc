using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Categories;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;
using NewsPortal.Web.Sources;

namespace NewsPortal.Web.Import;

/// <summary>Turns parsed snippets into articles, matching categories and sources to the ones the store already has.</summary>
public sealed class ImportService(
    NewsDbContext db,
    MarkdownRenderer markdown,
    TimeProvider clock,
    IOptions<PortalOptions> options,
    ILogger<ImportService> logger)
{
    /// <summary>Adds the snippet as a new article and saves it; returns the new article's slug.</summary>
    public async Task<string> AddAsync(SnippetDocument document, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var article = new Article
        {
            Title = Truncated(document.Title, Article.TitleMaxLength),
            Slug = await FreeArticleSlugAsync(document.Title, cancellationToken),
            Dateline = document.Dateline,
            Body = document.Body,
            Lede = markdown.Lede(document.Body, Article.LedeMaxLength),
            PublishedOn = document.PublishedOn,
            DocumentDate = document.DocumentDate,
            Language = document.Language ?? options.Value.DefaultLanguage,
            Site = document.Site,
            OriginalUrl = document.OriginalUrl,
            CreatedAtUtc = now,
            UpdatedAtUtc = now,
        };

        foreach (var name in document.Categories)
        {
            article.Categories.Add(await FindOrAddCategoryAsync(name, cancellationToken));
        }

        foreach (var name in document.Sources)
        {
            article.Sources.Add(await FindOrAddSourceAsync(name, cancellationToken));
        }

        db.Articles.Add(article);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Imported article {Slug} ({Title})", article.Slug, article.Title);
        return article.Slug;
    }

    private Task<Category> FindOrAddCategoryAsync(string name, CancellationToken cancellationToken)
        => FindOrAddAsync(db.Categories, name, "category", (key, slug) => new Category
        {
            Name = Truncated(name, Category.NameMaxLength),
            NameKey = key,
            Slug = slug,
        }, cancellationToken);

    private Task<Source> FindOrAddSourceAsync(string name, CancellationToken cancellationToken)
        => FindOrAddAsync(db.Sources, name, "source", (key, slug) => new Source
        {
            Name = Truncated(name, Source.NameMaxLength),
            NameKey = key,
            Slug = slug,
        }, cancellationToken);

    private static async Task<T> FindOrAddAsync<T>(
        DbSet<T> set, string name, string fallbackSlug, Func<string, string, T> create, CancellationToken cancellationToken)
        where T : class, INamedEntity
    {
        var key = NameKey.For(name);
        var existing = set.Local.FirstOrDefault(e => e.NameKey == key)
            ?? await set.FirstOrDefaultAsync(e => e.NameKey == key, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        var baseSlug = Slug.From(name, fallbackSlug);
        var taken = await set.Where(e => e.Slug.StartsWith(baseSlug)).Select(e => e.Slug).ToListAsync(cancellationToken);
        var created = create(key, Slug.FirstFree(baseSlug, taken.Concat(set.Local.Select(e => e.Slug))));
        set.Add(created);
        return created;
    }

    private async Task<string> FreeArticleSlugAsync(string title, CancellationToken cancellationToken)
    {
        var baseSlug = Slug.From(title, "article");
        var taken = await db.Articles.Where(a => a.Slug.StartsWith(baseSlug)).Select(a => a.Slug).ToListAsync(cancellationToken);
        return Slug.FirstFree(baseSlug, taken.Concat(db.Articles.Local.Select(a => a.Slug)));
    }

    private static string Truncated(string value, int max) => value.Length <= max ? value : value[..max];
}
