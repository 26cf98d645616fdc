using System.Globalization;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Data;

namespace NewsPortal.Web.Languages;

/// <summary>A language that public articles are written in, by its BCP 47 tag, with how many.</summary>
public sealed record LanguageSummary(string Tag, string Name, int ArticleCount);

public sealed class LanguageService(NewsDbContext db, TimeProvider clock)
{
    /// <summary>Articles in the language <paramref name="tag"/>; tags ignore case, so "en" and "EN" are one language.</summary>
    public static Expression<Func<Article, bool>> In(string tag)
    {
        var key = tag.ToLowerInvariant();
        return a => a.Language.ToLower() == key;
    }

    /// <summary>The language with this tag, or null when no public article is written in it.</summary>
    public async Task<LanguageSummary?> GetAsync(string tag, CancellationToken cancellationToken = default)
    {
        var count = await db.Articles.AsNoTracking()
            .Where(ArticleVisibility.IsPublicAt(clock.GetUtcNow().UtcDateTime))
            .Where(In(tag))
            .CountAsync(cancellationToken);
        return count == 0 ? null : new LanguageSummary(tag.ToLowerInvariant(), NameOf(tag), count);
    }

    /// <summary>"English" for "en"; the tag itself for one .NET does not know.</summary>
    public static string NameOf(string tag)
    {
        try
        {
            return CultureInfo.GetCultureInfo(tag, predefinedOnly: true).EnglishName;
        }
        catch (CultureNotFoundException)
        {
            return tag;
        }
    }
}
