using System.ComponentModel.DataAnnotations;
using System.Text;
using Microsoft.Extensions.Options;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Import;
using NewsPortal.Web.Shared;
using CategoryEntity = NewsPortal.Web.Categories.Category;
using SourceEntity = NewsPortal.Web.Sources.Source;

namespace NewsPortal.Web.Admin;

/// <summary>What an editor fills in to write or revise a snippet. Each problem is reported next to its field.</summary>
public sealed class ArticleForm : IValidatableObject
{
    [Required(ErrorMessage = "A story needs a title.")]
    [StringLength(Article.TitleMaxLength, ErrorMessage = "The title can be at most {1} characters long.")]
    public string Title { get; set; } = "";

    [StringLength(Article.DatelineMaxLength, ErrorMessage = "The dateline can be at most {1} characters long.")]
    public string? Dateline { get; set; }

    [Required(ErrorMessage = "A story needs a body.")]
    public string Body { get; set; } = "";

    [Display(Name = "Published on")]
    [Required(ErrorMessage = "Give the date the story was published.")]
    public DateOnly? PublishedOn { get; set; }

    [Display(Name = "Document date")]
    public DateTime? DocumentDate { get; set; }

    [Required(ErrorMessage = "Give the story's language, such as en or tr.")]
    public string Language { get; set; } = "en";

    [StringLength(Article.SiteMaxLength)]
    public string? Site { get; set; }

    [Display(Name = "Original URL")]
    public string? OriginalUrl { get; set; }

    /// <summary>The licence the text comes under, when it is someone else's ("CC BY-SA 4.0"); shown with the story.</summary>
    [Display(Name = "Licence")]
    [StringLength(Article.LicenseMaxLength, ErrorMessage = "The licence can be at most {1} characters long.")]
    public string? License { get; set; }

    /// <summary>
    /// The story's address under /articles/, as the editor wants it (written as a slug on saving); empty makes one from
    /// the title for a new story and keeps the address of an existing one.
    /// </summary>
    [Display(Name = "Address")]
    [StringLength(Article.SlugMaxLength, ErrorMessage = "The address can be at most {1} characters long.")]
    public string? Slug { get; set; }

    /// <summary>The chosen address as a slug ("Istanbul Talks!" is istanbul-talks); null when none was chosen.</summary>
    public string? ChosenSlug => string.IsNullOrWhiteSpace(Slug) ? null : Shared.Slug.From(Slug, "") is { Length: > 0 } slug ? slug : null;

    /// <summary>Category names separated by commas; new ones are created on saving.</summary>
    public string? Categories { get; set; }

    /// <summary>Source names separated by commas or semicolons; new ones are created on saving.</summary>
    public string? Sources { get; set; }

    /// <summary>One line for listings and link previews in place of the first paragraph; empty uses the paragraph.</summary>
    [StringLength(Article.LedeMaxLength, ErrorMessage = "The summary can be at most {1} characters long.")]
    public string? Summary { get; set; }

    /// <summary>An optional picture: an http(s) address (the page links to it; it is not copied here).</summary>
    [Display(Name = "Image address")]
    [StringLength(Article.UrlMaxLength, ErrorMessage = "The image address can be at most {1} characters long.")]
    public string? ImageUrl { get; set; }

    [Display(Name = "Image alt text")]
    [StringLength(Article.ImageAltMaxLength, ErrorMessage = "The alt text can be at most {1} characters long.")]
    public string? ImageAlt { get; set; }

    /// <summary>Create categories or sources that look like stored ones anyway (the editor was warned and meant it).</summary>
    [Display(Name = "Create the new names as typed")]
    public bool CreateNewNames { get; set; }

    /// <summary>Save even though a published story looks like the same event (the editor was warned and meant it).</summary>
    [Display(Name = "Save it anyway: it is a different story")]
    public bool NotADuplicate { get; set; }

    /// <summary>The developing story this one follows ("Gaza war"); a new name starts a thread on saving.</summary>
    [StringLength(Threads.StoryThread.NameMaxLength, ErrorMessage = "The thread can be at most {1} characters long.")]
    public string? Thread { get; set; }

    public ArticleStatus Status { get; set; } = ArticleStatus.Draft;

    /// <summary>When a Scheduled story goes public, in UTC.</summary>
    [Display(Name = "Publish at (UTC)")]
    public DateTime? PublishAtUtc { get; set; }

    [Display(Name = "Correction note")]
    [StringLength(Article.CorrectionMaxLength, ErrorMessage = "The correction note can be at most {1} characters long.")]
    public string? CorrectionNote { get; set; }

    /// <summary>The article's version when the form was opened; a save from an older version is refused.</summary>
    public int Version { get; set; }

    public IReadOnlyList<string> CategoryNames => NameList.Parse(Categories, ',');

    public IReadOnlyList<string> SourceNames => NameList.Parse(Sources, ',', ';');

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // The rules apply to the story as it will be stored, after cleaning: a title of control or zero-width
        // characters only is no title.
        var document = ToDocument();
        if (document.Title.Length == 0 && !string.IsNullOrEmpty(Title))
        {
            yield return new ValidationResult("The title has no visible text.", [nameof(Title)]);
        }

        if (document.Body.Length == 0 && !string.IsNullOrEmpty(Body))
        {
            yield return new ValidationResult("The body has no visible text.", [nameof(Body)]);
        }

        var limits = (validationContext.GetService(typeof(IOptions<ImportOptions>)) as IOptions<ImportOptions>)?.Value ?? new ImportOptions();
        var maxBodyBytes = limits.MaxBodyBytes;

        // The site's own limit (Import:MaxTitleLength) holds for the form and the API as for imports.
        if (document.Title.Length > limits.MaxTitleLength && limits.MaxTitleLength < Article.TitleMaxLength)
        {
            yield return new ValidationResult($"The title can be at most {limits.MaxTitleLength} characters long (Import:MaxTitleLength).", [nameof(Title)]);
        }

        if (Encoding.UTF8.GetByteCount(document.Body) is var bodyBytes && bodyBytes > maxBodyBytes)
        {
            yield return new ValidationResult($"The body is {bodyBytes:N0} bytes; the limit is {maxBodyBytes:N0} (Import:MaxBodyBytes).", [nameof(Body)]);
        }
        else if (Shared.MarkdownRenderer.ProblemWith(document.Body) is { } markdown)
        {
            yield return new ValidationResult(char.ToUpperInvariant(markdown[0]) + markdown[1..] + ".", [nameof(Body)]);
        }

        if (!string.IsNullOrWhiteSpace(OriginalUrl) && OriginalUrl.Trim() != "#" && !SnippetRules.IsWebAddress(OriginalUrl.Trim()))
        {
            yield return new ValidationResult("The original URL must be an http or https address.", [nameof(OriginalUrl)]);
        }

        if (!string.IsNullOrWhiteSpace(Slug) && ChosenSlug is null)
        {
            yield return new ValidationResult("The address needs letters or digits, such as istanbul-talks.", [nameof(Slug)]);
        }

        if (!SnippetRules.IsLanguageTag(Language?.Trim() ?? ""))
        {
            yield return new ValidationResult("The language must be a BCP 47 tag such as en, tr or pt-BR.", [nameof(Language)]);
        }

        if (Status == ArticleStatus.Scheduled && PublishAtUtc is null)
        {
            yield return new ValidationResult("A scheduled story needs the time it goes public.", [nameof(PublishAtUtc)]);
        }

        if (!string.IsNullOrWhiteSpace(ImageUrl) && !SnippetRules.IsWebAddress(ImageUrl.Trim()))
        {
            yield return new ValidationResult("The image address must be an http or https address.", [nameof(ImageUrl)]);
        }
        else if (!string.IsNullOrWhiteSpace(ImageUrl) && string.IsNullOrWhiteSpace(ImageAlt))
        {
            yield return new ValidationResult("Say in a few words what the image shows, for readers who cannot see it.", [nameof(ImageAlt)]);
        }

        foreach (var (names, field, what) in new[] { (CategoryNames, nameof(Categories), "categories"), (SourceNames, nameof(Sources), "sources") })
        {
            if (names.Count > SnippetRules.MaxNamesPerStory)
            {
                yield return new ValidationResult($"A story takes at most {SnippetRules.MaxNamesPerStory} {what}; this names {names.Count:N0}.", [field]);
            }
        }

        foreach (var name in CategoryNames.Where(n => n.Length > CategoryEntity.NameMaxLength))
        {
            yield return new ValidationResult($"The category '{Shared.Text.Cut(name, 20)}…' is too long.", [nameof(Categories)]);
        }

        foreach (var name in SourceNames.Where(n => n.Length > SourceEntity.NameMaxLength))
        {
            yield return new ValidationResult($"The source '{Shared.Text.Cut(name, 20)}…' is too long.", [nameof(Sources)]);
        }
    }

    public static ArticleForm From(Article article) => new()
    {
        Title = article.Title,
        Dateline = article.Dateline,
        Body = article.Body,
        PublishedOn = article.PublishedOn,
        DocumentDate = article.DocumentDate,
        Language = article.Language,
        Site = article.Site,
        OriginalUrl = article.OriginalUrl,
        License = article.License,
        Slug = article.Slug,
        Categories = NameList.Format(article.Categories.Select(c => c.Name).Order(StringComparer.Ordinal)),
        Sources = NameList.Format(article.Sources.Select(s => s.Name).Order(StringComparer.Ordinal)),
        Thread = article.Thread?.Name,
        ImageUrl = article.ImageUrl,
        ImageAlt = article.ImageAlt,
        Summary = article.Summary,
        Status = article.Status,
        PublishAtUtc = article.PublishAtUtc,
        CorrectionNote = article.CorrectionNote,
        Version = article.Version,
    };

    public static ArticleForm From(ArticleSnapshot snapshot, int version) => new()
    {
        Title = snapshot.Title,
        Dateline = snapshot.Dateline,
        Body = snapshot.Body,
        PublishedOn = snapshot.PublishedOn,
        DocumentDate = snapshot.DocumentDate,
        Language = snapshot.Language,
        Site = snapshot.Site,
        OriginalUrl = snapshot.OriginalUrl,
        License = snapshot.License,
        Categories = NameList.Format(snapshot.Categories),
        Sources = NameList.Format(snapshot.Sources),
        Thread = snapshot.Thread,
        ImageUrl = snapshot.ImageUrl,
        ImageAlt = snapshot.ImageAlt,
        Summary = snapshot.Summary,
        Status = snapshot.Status,
        PublishAtUtc = snapshot.PublishAtUtc,
        CorrectionNote = snapshot.CorrectionNote,
        Version = version,
    };

    /// <summary>The form as a story, cleaned the way imports are (NFC, no control characters, collapsed spaces).</summary>
    public SnippetDocument ToDocument() => SnippetRules.Normalize(new SnippetDocument(
        Title, PublishedOn ?? default, DocumentDate, Language, CategoryNames, OriginalUrl, Site, SourceNames, Dateline, Body)
    {
        License = License,
        Thread = Thread,
        ImageUrl = ImageUrl,
        ImageAlt = ImageAlt,
        Summary = Summary,
    });
}
