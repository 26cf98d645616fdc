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

    public int Id { get; set; }
    public required string Title { get; set; }
    public required string Slug { get; set; }

    /// <summary>The place line that opens the story, such as "ISTANBUL", without its dash.</summary>
    public string? Dateline { get; set; }

    /// <summary>The story in Markdown; untrusted, so it is only ever shown through the MarkdownRenderer.</summary>
    public required string Body { get; set; }

    /// <summary>Plain text of the first paragraph, trimmed, kept so listings need not render Markdown.</summary>
    public required string Lede { get; set; }

    /// <summary>The "Published on" date of the snippet.</summary>
    public DateOnly PublishedOn { get; set; }

    /// <summary>The snippet's "Document Date": a wall-clock time with no zone, kept as written.</summary>
    public DateTime? DocumentDate { get; set; }

    /// <summary>BCP 47 language tag, such as "en" or "tr".</summary>
    public required string Language { get; set; }

    /// <summary>The site the snippet came from, such as "rki.news".</summary>
    public string? Site { get; set; }

    /// <summary>The "Show on website" link, or null when the snippet has none.</summary>
    public string? OriginalUrl { get; set; }

    public DateTime CreatedAtUtc { get; set; }
    public DateTime UpdatedAtUtc { get; set; }

    public ArticleStatus Status { get; set; } = ArticleStatus.Published;

    /// <summary>When the article goes (or went) public; for a Scheduled article, a time in the future.</summary>
    public DateTime? PublishAtUtc { get; set; }

    /// <summary>A public note explaining a correction to a published story.</summary>
    public string? CorrectionNote { get; set; }

    /// <summary>Set when an editor deletes the article; an admin can restore it. Its public URL answers 410 meanwhile.</summary>
    public DateTime? DeletedAtUtc { get; set; }

    /// <summary>Optimistic concurrency token, raised on every editorial save so a stale form cannot overwrite newer work.</summary>
    public int Version { get; set; }

    public List<ArticleRevision> Revisions { get; set; } = [];

    public List<Category> Categories { get; set; } = [];
    public List<Source> Sources { get; set; } = [];
}
