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

    /// <summary>The status an editor sees: a Scheduled article whose time has come is Published.</summary>
    public static ArticleStatus Effective(ArticleStatus status, DateTime? publishAtUtc, DateTime nowUtc)
        => status == ArticleStatus.Scheduled && publishAtUtc <= nowUtc ? ArticleStatus.Published : status;
}
