using System.Linq.Expressions;

namespace NewsPortal.Web.Articles;

public enum ArticleStatus
{
    /// <summary>Being written; never public.</summary>
    Draft,

    /// <summary>Public from its publish time on, with no job or restart needed: the public queries compare with the clock.</summary>
    Scheduled,

    Published,

    /// <summary>Taken down by an editor; kept, and can be published again.</summary>
    Unpublished,
}

public static class ArticleVisibility
{
    /// <summary>What readers, feeds and search may see at <paramref name="nowUtc"/>: published or due, and not deleted.</summary>
    public static Expression<Func<Article, bool>> IsPublicAt(DateTime nowUtc)
        => a => a.DeletedAtUtc == null
            && (a.Status == ArticleStatus.Published || a.Status == ArticleStatus.Scheduled)
            && (a.PublishAtUtc == null || a.PublishAtUtc <= nowUtc);

    /// <summary><see cref="IsPublicAt"/> for one article in memory.</summary>
    public static bool IsPublic(Article article, DateTime nowUtc)
        => article.DeletedAtUtc == null
            && article.Status is ArticleStatus.Published or ArticleStatus.Scheduled
            && (article.PublishAtUtc == null || article.PublishAtUtc <= nowUtc);

    /// <summary>
    /// Articles an editor asked for by status: draft, scheduled (not yet due), published (public now), unpublished,
    /// deleted, or all that are not deleted; any other value gives <paramref name="otherwise"/>.
    /// </summary>
    public static IQueryable<Article> WithStatus(this IQueryable<Article> articles, string? status, DateTime nowUtc, Func<IQueryable<Article>, IQueryable<Article>> otherwise)
        => status?.ToLowerInvariant() switch
        {
            "draft" => articles.Where(a => a.DeletedAtUtc == null && a.Status == ArticleStatus.Draft),
            "scheduled" => articles.Where(a => a.DeletedAtUtc == null && a.Status == ArticleStatus.Scheduled && a.PublishAtUtc > nowUtc),
            "published" => articles.Where(IsPublicAt(nowUtc)),
            "unpublished" => articles.Where(a => a.DeletedAtUtc == null && a.Status == ArticleStatus.Unpublished),
            "deleted" => articles.Where(a => a.DeletedAtUtc != null),
            "all" => articles.Where(a => a.DeletedAtUtc == null),
            _ => otherwise(articles),
        };

    /// <summary>The status an editor sees: a Scheduled article whose time has come is Published.</summary>
    public static ArticleStatus Effective(ArticleStatus status, DateTime? publishAtUtc, DateTime nowUtc)
        => status == ArticleStatus.Scheduled && publishAtUtc <= nowUtc ? ArticleStatus.Published : status;
}
