using System.Globalization;
using Microsoft.EntityFrameworkCore;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Data;

namespace NewsPortal.Web.Languages;

/// <summary>A language that public articles are written in, by its BCP 47 tag, with how many.</summary>
public sealed record LanguageSummary(string Tag, string Name, int ArticleCount);

public sealed class LanguageService(NewsDbContext db)
{
    /// <summary>The language with this tag (any case), or null when no public article is written in it.</summary>
    public async Task<LanguageSummary?> GetAsync(string? tag, CancellationToken cancellationToken = default)
    {
        // An address of spaces binds as no tag at all.
        if (string.IsNullOrWhiteSpace(tag))
        {
            return null;
        }

        var key = ListingCount.Language(tag);
        var count = await db.ListingCounts.AsNoTracking().Where(c => c.Key == key).Select(c => c.ArticleCount).FirstOrDefaultAsync(cancellationToken);
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
