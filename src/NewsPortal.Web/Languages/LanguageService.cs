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

    /// <summary>How many languages the index lists at most: far more than a newsroom writes in, a bound whatever an import names.</summary>
    public const int MaxListed = 500;

    /// <summary>Every language public stories are written in (up to <see cref="MaxListed"/>), the most written first, with how many.</summary>
    public async Task<List<LanguageSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        // The counts' keys in order: "language:" and a tag of letters, digits and hyphens, which sorts below one of z's
        // as long as a key may be, in any collation.
        var first = ListingCount.Language("");
        var last = ListingCount.Language(new string('z', ListingCount.KeyMaxLength - first.Length));
        var counts = await db.ListingCounts.AsNoTracking()
            .Where(c => string.Compare(c.Key, first) > 0 && string.Compare(c.Key, last) <= 0 && c.ArticleCount > 0)
            .OrderBy(c => c.Key)
            .Take(MaxListed)
            .Select(c => new { c.Key, c.ArticleCount })
            .ToListAsync(cancellationToken);
        return [.. counts.Select(c => (Tag: c.Key[first.Length..], c.ArticleCount)).Select(c => new LanguageSummary(c.Tag, NameOf(c.Tag), c.ArticleCount))
            .OrderByDescending(l => l.ArticleCount).ThenBy(l => l.Name, StringComparer.Ordinal)];
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
