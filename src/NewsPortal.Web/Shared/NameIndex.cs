using Microsoft.EntityFrameworkCore;

namespace NewsPortal.Web.Shared;

/// <summary>One page of an A–Z of names (sources or categories) that have public stories, and where the next begins.</summary>
public sealed record NameIndexPage(IReadOnlyList<NamedCount> Items, string? Letter, string Query, string? NextAfter);

/// <summary>
/// The sources' and categories' indexes: names in order from a point, a page at a time, by first letter or by the
/// start of a name, each read from the unique index on the name's key. A newsroom has thousands of sources; no page
/// lists them all.
/// </summary>
public static class NameIndex
{
    public const int PageSize = 200;
    public const int MaxQueryLength = 100;

    /// <summary>The letters of the A–Z, under which names file without their accents; names starting with anything else (a digit, another script) are under "other".</summary>
    public static IReadOnlyList<string> Letters { get; } = [.. Enumerable.Range('a', 26).Select(c => ((char)c).ToString()), Other];

    public const string Other = "other";

    /// <summary>What is wrong with an index's address, as a sentence; null when it can be read.</summary>
    public static string? Problem(string? letter, string? query, string? after)
        => letter is not null && !Letters.Contains(letter) ? "letter must be one of a to z, or 'other'."
            : (query?.Length ?? 0) > MaxQueryLength ? $"The name to find can be at most {MaxQueryLength} characters long."
            : (after?.Length ?? 0) > 500 ? "after is not a position in this index."
            : null;

    public static async Task<NameIndexPage> ReadAsync<T>(IQueryable<T> names, string? letter, string? query, string? after, CancellationToken cancellationToken)
        where T : IndexedName
    {
        var find = NameKey.FoldedStart(Text.Line(query));
        var chosen = names.AsNoTracking().Where(n => n.ArticleCount > 0);
        if (find.Length > 0)
        {
            // The start of a name: "reu" finds Reuters. Every key starting so lies between it and it followed by the last character.
            var end = find + char.MaxValue;
            chosen = chosen.Where(n => n.IndexKey.CompareTo(find) >= 0 && n.IndexKey.CompareTo(end) < 0);
            letter = null;
        }
        else if (letter == Other)
        {
            chosen = chosen.Where(n => n.IndexKey.CompareTo("a") < 0 || n.IndexKey.CompareTo("{") >= 0);
        }
        else if (letter is not null)
        {
            var upTo = ((char)(letter[0] + 1)).ToString();
            chosen = chosen.Where(n => n.IndexKey.CompareTo(letter) >= 0 && n.IndexKey.CompareTo(upTo) < 0);
        }

        // The position in a "More" link is the last name's key ("radio 200"), not its index key, which holds a control character.
        if (!string.IsNullOrEmpty(after))
        {
            var position = NameKey.ForIndex(NameKey.For(Text.Line(after)));
            chosen = chosen.Where(n => n.IndexKey.CompareTo(position) > 0);
        }

        var rows = await chosen.OrderBy(n => n.IndexKey)
            .Select(n => new { Item = new NamedCount(n.Id, n.Name, n.Slug, n.ArticleCount), n.NameKey })
            .Take(PageSize + 1)
            .ToListAsync(cancellationToken);
        var next = rows.Count > PageSize ? rows[PageSize - 1].NameKey : null;
        return new NameIndexPage([.. rows.Take(PageSize).Select(r => r.Item)], letter, find.Length > 0 ? Text.Line(query) : "", next);
    }

    /// <summary>Names stored before their index key was kept (the IndexKeys migration) are given it, once, at start-up.</summary>
    public static async Task FillIndexKeysAsync(Data.NewsDbContext db, CancellationToken cancellationToken = default)
    {
        foreach (var category in await db.Categories.Where(c => c.IndexKey == "").ToListAsync(cancellationToken))
        {
            category.Rename(category.Name, category.NameKey, category.Slug);
        }

        foreach (var source in await db.Sources.Where(s => s.IndexKey == "").ToListAsync(cancellationToken))
        {
            source.Rename(source.Name, source.NameKey, source.Slug);
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
