using NewsPortal.Web.Categories;
using NewsPortal.Web.Sources;

namespace NewsPortal.Web.Articles;

public class Article
{
    public const int TitleMaxLength = 300;
    public const int SlugMaxLength = 120;
    public const int DatelineMaxLength = 100;
    public const int LedeMaxLength = 320;
    public const int LanguageMaxLength = 35;
    public const int SiteMaxLength = 253;
    public const int UrlMaxLength = 2048;
    public const int CorrectionMaxLength = 1000;
    public const int LicenseMaxLength = 100;
    public const int ImageAltMaxLength = 300;

    public int Id { get; set; }

    public required string Title
    {
        get;
        set
        {
            field = value;
            TitleKey = MatchKeys.ForTitle(value, DocumentDate, PublishedOn);
        }
    }
    public required string Slug { get; set; }

    /// <summary>The place line that opens the story, such as "ISTANBUL", without its dash.</summary>
    public string? Dateline { get; set; }

    /// <summary>The story in Markdown; untrusted, so it is only ever shown through the MarkdownRenderer.</summary>
    public required string Body { get; set; }

    /// <summary>
    /// The body (with its dateline) as the MarkdownRenderer made it when the story was written, sanitised, so pages and
    /// feeds need not render it again. Null only for stories stored before it was kept; those are rendered when read.
    /// </summary>
    public string? BodyHtml { get; set; }

    /// <summary>The whole body as plain text (<see cref="Shared.MarkdownRenderer.PlainText"/>): what the search index holds and quotes.</summary>
    public string BodyText { get; set; } = "";

    /// <summary>
    /// What listings, feeds and link previews show under the headline: the editor's <see cref="Summary"/> when there is
    /// one, else plain text of the first paragraph, trimmed; kept so listings need not render Markdown.
    /// </summary>
    public required string Lede { get; set; }

    /// <summary>An editor's own one-line summary, in place of the first paragraph; null when the story has none.</summary>
    public string? Summary { get; set; }

    /// <summary>The "Published on" date of the snippet.</summary>
    public DateOnly PublishedOn
    {
        get;
        set
        {
            field = value;
            SortKey = ListingOrder.KeyOf(value, DocumentDate);
            TitleKey = MatchKeys.ForTitle(Title, DocumentDate, value);
        }
    }

    /// <summary>The snippet's "Document Date": a wall-clock time with no zone, kept as written.</summary>
    public DateTime? DocumentDate
    {
        get;
        set
        {
            field = value;
            SortKey = ListingOrder.KeyOf(PublishedOn, value);
            TitleKey = MatchKeys.ForTitle(Title, value, PublishedOn);
        }
    }

    /// <summary>Where the story stands in every listing, newest first; see <see cref="ListingOrder"/>. Kept by the date setters.</summary>
    public long SortKey { get; private set; } = ListingOrder.KeyOf(default, null);

    /// <summary>BCP 47 language tag, such as "en" or "tr".</summary>
    public required string Language { get; set; }

    /// <summary>The site the snippet came from, such as "rki.news".</summary>
    public string? Site
    {
        get;
        set
        {
            field = value;
            UrlKey = MatchKeys.ForUrl(value, OriginalUrl);
        }
    }

    /// <summary>The licence the text comes under, such as "CC BY-SA 4.0", when its source names one.</summary>
    public string? License { get; set; }

    /// <summary>The "Show on website" link, or null when the snippet has none.</summary>
    public string? OriginalUrl
    {
        get;
        set
        {
            field = value;
            UrlKey = MatchKeys.ForUrl(Site, value);
        }
    }

    /// <summary>
    /// Hashes of what the importer recognises a story by (<see cref="MatchKeys"/>): site and link, and title and
    /// date. Kept by the setters; indexed instead of the long text itself, which the importer then compares.
    /// </summary>
    public long? UrlKey { get; private set; }

    /// <inheritdoc cref="UrlKey"/>
    public long TitleKey { get; private set; }

    public DateTime CreatedAtUtc { get; set; }
    public DateTime UpdatedAtUtc { get; set; }

    public ArticleStatus Status
    {
        get;
        set
        {
            field = value;
            Listed = IsListed(value, DeletedAtUtc);
        }
    } = ArticleStatus.Published;

    /// <summary>
    /// Whether listings, feeds and sitemaps show the story: published and not deleted. A scheduled story becomes
    /// published when its time comes (<see cref="PublishSchedule"/>). Kept by the setters of Status and DeletedAtUtc,
    /// and copied by the store into the category and source links, so every listing reads one index.
    /// </summary>
    public bool Listed { get; private set; } = true;

    /// <summary>When the article goes (or went) public; for a Scheduled article, a time in the future.</summary>
    public DateTime? PublishAtUtc { get; set; }

    /// <summary>A public note explaining a correction to a published story.</summary>
    public string? CorrectionNote { get; set; }

    /// <summary>Set when an editor deletes the article; an admin can restore it. Its public URL answers 410 meanwhile.</summary>
    public DateTime? DeletedAtUtc
    {
        get;
        set
        {
            field = value;
            Listed = IsListed(Status, value);
        }
    }

    /// <summary>Optimistic concurrency token, raised on every editorial save so a stale form cannot overwrite newer work.</summary>
    public int Version { get; set; }

    public List<ArticleRevision> Revisions { get; set; } = [];

    /// <summary>An optional picture for the story: an http(s) address, shown on its page and in link previews.</summary>
    public string? ImageUrl { get; set; }

    /// <summary>What the picture shows, for readers who cannot see it; required with <see cref="ImageUrl"/>.</summary>
    public string? ImageAlt { get; set; }

    /// <summary>The developing story this one follows, if any.</summary>
    public int? ThreadId { get; set; }

    public Threads.StoryThread? Thread { get; set; }

    public List<Category> Categories { get; set; } = [];
    public List<Source> Sources { get; set; } = [];

    private static bool IsListed(ArticleStatus status, DateTime? deletedAtUtc) => status == ArticleStatus.Published && deletedAtUtc is null;
}
