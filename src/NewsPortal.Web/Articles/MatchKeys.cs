using System.Globalization;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Articles;

/// <summary>
/// The keys by which an import recognises a story it already has: the same site and link, or the same title and
/// document date (the "Published on" date when there is none). Stored as hashes so their indexes stay small; a key
/// only finds candidates, and the importer compares the text.
/// </summary>
public static class MatchKeys
{
    /// <summary>The name of the SQL function that computes <see cref="ForTitle"/> from stored columns (used by migrations).</summary>
    public const string TitleKeyFunction = "newsportal_title_key";

    /// <inheritdoc cref="TitleKeyFunction"/>
    public const string UrlKeyFunction = "newsportal_url_key";

    public static long? ForUrl(string? site, string? originalUrl) => originalUrl is null ? null : StableHash.Of(site ?? "", originalUrl);

    public static long ForTitle(string? title, DateTime? documentDate, DateOnly publishedOn)
        => StableHash.Of(title ?? "", documentDate is { } date
            ? date.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture)
            : publishedOn.ToString("'D'yyyy-MM-dd", CultureInfo.InvariantCulture));

    /// <summary>The same keys over the columns as SQLite stores them, for a migration to fill them in.</summary>
    public static long ForStoredTitle(string title, string? documentDate, string publishedOn)
        => ForTitle(title, documentDate is null ? null : DateTime.Parse(documentDate, CultureInfo.InvariantCulture),
            DateOnly.ParseExact(publishedOn, "yyyy-MM-dd", CultureInfo.InvariantCulture));
}
