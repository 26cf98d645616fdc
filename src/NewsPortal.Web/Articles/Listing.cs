using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using NewsPortal.Web.Data;

namespace NewsPortal.Web.Articles;

public enum ListingKind
{
    All,
    Category,
    Source,
    Language,
    Month,
    Thread,
}

/// <summary>
/// One of the public listings (every story, a category's, a source's, a language's, a month's, a thread's) and how to walk it:
/// each is one index read from a position in <see cref="ListingOrder"/>, so a page costs the same however many
/// stories the store holds. Pages, feeds and the API all read listings through here.
/// </summary>
public sealed record Listing(ListingKind Kind, int NameId = 0, string? Language = null, int Year = 0, int Month = 0)
{
    public static Listing All { get; } = new(ListingKind.All);

    public static Listing InCategory(int categoryId) => new(ListingKind.Category, NameId: categoryId);

    public static Listing FromSource(int sourceId) => new(ListingKind.Source, NameId: sourceId);

    public static Listing InLanguage(string tag) => new(ListingKind.Language, Language: tag.ToLowerInvariant());

    public static Listing InMonth(int year, int month) => new(ListingKind.Month, Year: year, Month: month);

    public static Listing InThread(int threadId) => new(ListingKind.Thread, NameId: threadId);

    /// <summary>
    /// The narrowest listing for a set of filters (a thread's, else a category's, a source's, a language's, else every
    /// story's; every story's when <paramref name="everyStory"/>, for matches of words read by id) and a condition over
    /// the story as <c>a</c> for each filter that listing does not carry, to check on each story the walk reaches.
    /// Ids are the store's own integers and a language must be a tag (<see cref="Import.SnippetRules.IsLanguageTag"/>),
    /// so both are written into the SQL.
    /// </summary>
    public static (Listing Listing, List<string> Conditions) Narrowest(int? threadId, int? categoryId, int? sourceId, string? language, bool everyStory = false)
    {
        if (language is not null && !Import.SnippetRules.IsLanguageTag(language))
        {
            throw new ArgumentException("Not a language tag; check it with SnippetRules.IsLanguageTag first.", nameof(language));
        }

        language = language?.ToLowerInvariant();
        var listing = everyStory ? All
            : threadId is { } thread ? InThread(thread)
            : categoryId is { } category ? InCategory(category)
            : sourceId is { } source ? FromSource(source)
            : language is not null ? InLanguage(language)
            : All;
        var conditions = new List<string>();
        if (threadId is { } t && listing.Kind != ListingKind.Thread)
        {
            conditions.Add(FormattableString.Invariant($"""a."ThreadId" = {t}"""));
        }

        if (categoryId is { } c && listing.Kind != ListingKind.Category)
        {
            conditions.Add(FormattableString.Invariant($"""EXISTS (SELECT 1 FROM "ArticleCategories" x WHERE x."ArticlesId" = a."Id" AND x."CategoriesId" = {c})"""));
        }

        if (sourceId is { } s && listing.Kind != ListingKind.Source)
        {
            conditions.Add(FormattableString.Invariant($"""EXISTS (SELECT 1 FROM "ArticleSources" x WHERE x."ArticlesId" = a."Id" AND x."SourcesId" = {s})"""));
        }

        if (language is not null && listing.Kind != ListingKind.Language)
        {
            conditions.Add($"""lower(a."Language") = '{language}'""");
        }

        return (listing, conditions);
    }

    /// <summary>A condition over the story as <c>a</c>: it is one of <paramref name="ids"/> (the store's own integers, written in).</summary>
    public static string IdIn(IEnumerable<int> ids)
        => $"""a."Id" IN ({string.Join(", ", ids.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)))})""";

    /// <summary>The output-cache tag of every page, feed and API list that shows this listing.</summary>
    public string CacheTag => Kind switch
    {
        ListingKind.All => "list:all",
        ListingKind.Category => $"list:category:{NameId}",
        ListingKind.Source => $"list:source:{NameId}",
        ListingKind.Language => $"list:language:{Language}",
        ListingKind.Thread => $"list:thread:{NameId}",
        _ => $"list:month:{Year:D4}-{Month:D2}",
    };

    /// <summary>The columns of a walk that wants positions only ("SortKey", "Id"), which never reads a story's row.</summary>
    public const string KeyColumns = """a."SortKey", a."Id" """;

    /// <summary>
    /// SQL selecting <paramref name="columns"/> (over the story as <c>a</c>) of up to <paramref name="take"/> listed
    /// stories, walking from <paramref name="from"/> (exclusive; the start when null) towards older stories, or
    /// newer ones. Placeholders are <c>{0}</c>, <c>{1}</c>… for <see cref="Data.RawRows.RowsAsync"/>, with <paramref name="args"/>.
    /// <paramref name="keys"/> narrows the walk to sort keys in [Min, Max). <paramref name="listed"/> false walks the
    /// stories readers cannot see (drafts, scheduled, unpublished, deleted) in the same order, for the editors' list,
    /// and <paramref name="condition"/> is further SQL over the story as <c>a</c>, written by the caller (never from input).
    /// </summary>
    public string Walk(StoreDialect dialect, string columns, ListingCursor? from, bool older, int take, out object[] args, int skip = 0, (long Min, long Max)? keys = null,
        bool listed = true, string? condition = null)
    {
        var arguments = new List<object>();
        string Arg(object value) => arguments.Placeholder(value);

        // Written in, so that PostgreSQL keeps one plan for each walk (see StoreDialect.Literal).
        var listedArg = dialect.Literal(listed);

        // Links carry copies of Listed and SortKey, so a category's or source's walk never touches other stories, and
        // one for positions alone reads no story at all.
        var keysOnly = columns == KeyColumns;
        var stories = keysOnly ? "" : $" {dialect.WalkJoin} \"Articles\" a ON a.\"Id\" = l.\"ArticlesId\"";
        var (source, filter, key, id) = Kind switch
        {
            ListingKind.Category => (
                "\"ArticleCategories\" l" + stories,
                $"l.\"CategoriesId\" = {Arg(NameId)} AND l.\"Listed\" = {listedArg}",
                "l.\"SortKey\"",
                "l.\"ArticlesId\""),
            ListingKind.Source => (
                "\"ArticleSources\" l" + stories,
                $"l.\"SourcesId\" = {Arg(NameId)} AND l.\"Listed\" = {listedArg}",
                "l.\"SortKey\"",
                "l.\"ArticlesId\""),
            ListingKind.Language => (
                "\"Articles\" a",
                $"lower(a.\"Language\") = {Arg(Language!)} AND a.\"Listed\" = {listedArg}",
                "a.\"SortKey\"",
                "a.\"Id\""),
            ListingKind.Thread => (
                "\"Articles\" a",
                $"a.\"ThreadId\" = {Arg(NameId)} AND a.\"Listed\" = {listedArg}",
                "a.\"SortKey\"",
                "a.\"Id\""),
            ListingKind.Month => (
                "\"Articles\" a",
                $"a.\"Listed\" = {listedArg} AND a.\"SortKey\" >= {Arg(ListingOrder.StartOf(new DateOnly(Year, Month, 1)))}"
                    + $" AND a.\"SortKey\" < {Arg(Year == DateOnly.MaxValue.Year && Month == 12 ? long.MaxValue : ListingOrder.StartOf(new DateOnly(Year, Month, 1).AddMonths(1)))}",
                "a.\"SortKey\"",
                "a.\"Id\""),
            _ => ("\"Articles\" a", $"a.\"Listed\" = {listedArg}", "a.\"SortKey\"", "a.\"Id\""),
        };
        var position = from is { } cursor ? $" AND ({key}, {id}) {(older ? "<" : ">")} ({Arg(cursor.SortKey)}, {Arg(cursor.Id)})" : "";
        if (keys is { } range)
        {
            position += $" AND {key} >= {Arg(range.Min)} AND {key} < {Arg(range.Max)}";
        }

        if (condition is not null)
        {
            position += $" AND ({condition})";
        }

        if (keysOnly && Kind is ListingKind.Category or ListingKind.Source)
        {
            columns = $"{key} AS \"SortKey\", {id} AS \"Id\"";
        }

        var direction = older ? "DESC" : "ASC";
        var sql = $"SELECT {columns} FROM {source} WHERE {filter}{position} ORDER BY {key} {direction}, {id} {direction} LIMIT {StoreDialect.Literal(take)}"
            + (skip > 0 ? $" OFFSET {StoreDialect.Literal(skip)}" : "");
        args = [.. arguments];
        return sql;
    }
}

/// <summary>A position in a listing: the sort key and id of a story. Written into links as <c>?before=</c> and <c>?after=</c>.</summary>
public readonly record struct ListingCursor(long SortKey, int Id)
{
    public const string InvalidMessage = "That is not a position in this listing (the before or after value was changed); start again from the first page.";

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{SortKey}.{Id}");

    public static bool TryParse(string? text, [NotNullWhen(true)] out ListingCursor? cursor)
    {
        cursor = null;
        var dot = text?.IndexOf('.') ?? -1;
        if (dot <= 0
            || !long.TryParse(text.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var key)
            || !int.TryParse(text.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return false;
        }

        cursor = new ListingCursor(key, id);
        return true;
    }
}

/// <summary>
/// A page of a listing, newest first, with where its neighbours start: <see cref="Newer"/> is null on the first page,
/// <see cref="NewerIsFirstPage"/> when the newer page is the listing's own address, and <see cref="Older"/> is null
/// on the last.
/// </summary>
public sealed record ListingPage<T>(IReadOnlyList<T> Items, ListingCursor? Newer, bool NewerIsFirstPage, ListingCursor? Older)
{
    public bool IsFirst => Newer is null && !NewerIsFirstPage;
}
