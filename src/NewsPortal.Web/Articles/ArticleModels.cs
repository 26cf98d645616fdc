using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Articles;

/// <summary>An article as a listing shows it.</summary>
public sealed record ArticleCard(
    string Title,
    string Slug,
    string Lede,
    DateOnly PublishedOn,
    string Language,
    IReadOnlyList<NamedLink> Categories,
    IReadOnlyList<NamedLink> Sources)
{
    public int Id { get; init; }

    /// <summary>Where the card stands in its listing, for the links to the pages either side.</summary>
    public ListingCursor Position { get; init; }

    /// <summary>What the card shows under its headline: the lede, without repeating the headline.</summary>
    public string Summary => Text.AfterHeadline(Title, Lede);

    /// <summary>The time of day of its document date, when it has one.</summary>
    public TimeOnly? TimeOfDay => ListingOrder.TimeOf(Position.SortKey);

    /// <summary>The link it was reported at, compared by <see cref="NearDuplicates"/>.</summary>
    public string? OriginalUrl { get; init; }

    /// <summary>Other reports of the same event on the same page, folded under this headline.</summary>
    public IReadOnlyList<ArticleCard> AlsoReported { get; init; } = [];

    /// <summary>
    /// Every outlet credited for the event this card stands for, each with the report that credits it first: its own
    /// sources, then those of the reports folded under it.
    /// </summary>
    public IReadOnlyList<(NamedLink Source, string Slug)> ReportedBy
        => [.. new[] { this }.Concat(AlsoReported)
            .SelectMany(card => card.Sources.Select(source => (Source: source, card.Slug)))
            .DistinctBy(credit => credit.Source.Slug)];

    /// <summary>
    /// Folds cards that report one event (see <see cref="NearDuplicates"/>) under the newest of them, keeping the
    /// order. Only reports credited differently fold: one outlet's story and its update both stay.
    /// </summary>
    public static IReadOnlyList<ArticleCard> Fold(IReadOnlyList<ArticleCard> cards, ComparedStories compared)
    {
        var stories = cards.Select(compared.Of).ToList();
        var leads = new List<(int Index, List<ArticleCard> Others)>();
        for (var i = 0; i < cards.Count; i++)
        {
            var lead = leads.FindIndex(l => cards[i].Sources.Count > 0 && cards[l.Index].Sources.Count > 0 && NearDuplicates.AreLikely(stories[l.Index], stories[i])
                && !CreditedAlike(cards[l.Index], cards[i]));
            if (lead >= 0)
            {
                leads[lead].Others.Add(cards[i]);
            }
            else
            {
                leads.Add((i, []));
            }
        }

        return leads.Count == cards.Count ? cards : [.. leads.Select(l => cards[l.Index] with { AlsoReported = l.Others })];
    }

    private static bool CreditedAlike(ArticleCard a, ArticleCard b)
        => a.Sources.Select(s => s.Slug).Order(StringComparer.Ordinal).SequenceEqual(b.Sources.Select(s => s.Slug).Order(StringComparer.Ordinal));
}

/// <summary>A story's picture: where it is, and what it shows for readers who cannot see it.</summary>
public sealed record StoryImage(string Url, string Alt)
{
    public static StoryImage? From(string? url, string? alt) => url is null ? null : new StoryImage(url, alt ?? "");
}

/// <summary>A story as a line under another heading (a thread's timeline, a front-page section): its headline and day.</summary>
public sealed record Headline(int Id, string Title, string Slug, DateOnly PublishedOn)
{
    /// <summary>The columns of a listing walk that reads it.</summary>
    public const string Columns = """a."Id", a."Title", a."Slug", a."PublishedOn" """;
}

/// <summary>An article as its own page shows it, with the body already rendered and sanitised.</summary>
public sealed record ArticleDetails(
    int Id,
    string Title,
    string Slug,
    string? Dateline,
    string BodyHtml,
    string Lede,
    DateOnly PublishedOn,
    DateTime? DocumentDate,
    string Language,
    string? Site,
    string? OriginalUrl,
    DateTime UpdatedAtUtc,
    string? CorrectionNote,
    IReadOnlyList<NamedLink> Categories,
    IReadOnlyList<NamedLink> Sources)
{
    /// <summary>The licence the text comes under, and where it is written out; null when the source names none.</summary>
    public License? License { get; init; }

    /// <summary>Minutes to read the body at 200 words a minute, rounded up.</summary>
    public int ReadingMinutes { get; init; } = 1;

    /// <summary>Where the article stands in its listings (see <see cref="ListingOrder"/>).</summary>
    public long SortKey { get; init; }

    /// <summary>When the story came out, to the second, when that is known (<see cref="ListingOrder.PublishedInstant"/>).</summary>
    public DateTime? PublishedAtUtc { get; init; }

    /// <summary>The developing story it follows, if any.</summary>
    public NamedLink? Thread { get; init; }

    /// <summary>The story's picture and what it shows, when it has one.</summary>
    public StoryImage? Image { get; init; }

    /// <summary>Published for readers; anything else only through a preview link.</summary>
    public ArticleStatus Status { get; init; } = ArticleStatus.Published;
}

/// <summary>The stories either side of an article in one of its categories, newest first as the listing shows them.</summary>
public sealed record CategoryNeighbours(NamedLink Category, NamedLink? Newer, NamedLink? Older);

/// <summary>An article found by slug, or gone (deleted).</summary>
public sealed record ArticleLookup(ArticleDetails? Article, bool Gone);

/// <summary>A month of the archive, such as March 2026, with how many stories it has.</summary>
public sealed record ArchiveMonth(int Year, int Month, int Count)
{
    public string Name => new DateOnly(Year, Month, 1).ToString("MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture);

    public string Path => $"/archive/{Year:D4}/{Month:D2}";
}
