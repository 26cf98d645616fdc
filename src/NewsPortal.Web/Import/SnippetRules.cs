using System.Text;
using System.Text.RegularExpressions;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Categories;
using NewsPortal.Web.Shared;
using NewsPortal.Web.Sources;

namespace NewsPortal.Web.Import;

/// <summary>
/// What every story must satisfy, whatever format or form it came in: text cleaned by <see cref="Text.Clean"/>,
/// and within the limits named in <see cref="ImportOptions"/>.
/// </summary>
public static partial class SnippetRules
{
    public static bool IsWebAddress(string value)
        => value.Length <= Article.UrlMaxLength
            && Uri.TryCreate(value, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    public static bool IsLanguageTag(string value) => value.Length <= Article.LanguageMaxLength && LanguageTag().IsMatch(value);

    public static SnippetDocument Normalize(SnippetDocument document) => document with
    {
        // A headline is text: Markdown in it (the corpus's "*Il Foglio* reporter") would show as asterisks in listings,
        // the tab, feeds and link previews.
        Title = MarkdownRenderer.LineText(Line(document.Title)),
        Dateline = Text.OptionalLine(document.Dateline),
        Language = Text.OptionalLine(document.Language),
        Site = Text.OptionalLine(document.Site)?.TrimEnd('/').ToLowerInvariant(),
        OriginalUrl = Text.OptionalLine(document.OriginalUrl) is { } url and not "#" ? url : null,
        Categories = Names(document.Categories),
        Sources = Names(document.Sources),
        Body = Text.Clean(document.Body).Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Trim() is var body && Text.HasVisibleText(body) ? body : "",
        Slug = Text.OptionalLine(document.Slug),
        FormerSlugs = [.. document.FormerSlugs.Select(Line).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal)],
        CorrectionNote = Text.OptionalLine(document.CorrectionNote),
        License = Text.OptionalLine(document.License),
        Thread = Text.OptionalLine(document.Thread),
        ImageUrl = Text.OptionalLine(document.ImageUrl),
        ImageAlt = Text.OptionalLine(document.ImageAlt),
        Summary = Text.OptionalLine(document.Summary),
    };

    /// <summary>Each way the (normalized) story breaks a rule, as a sentence naming the field and the limit.</summary>
    public static IEnumerable<string> Check(SnippetDocument document, ImportOptions limits)
    {
        if (document.Title.Length == 0)
        {
            yield return "the title is empty";
        }
        else if (document.Title.Length > limits.MaxTitleLength)
        {
            yield return $"the title is {document.Title.Length} characters long; the limit is {limits.MaxTitleLength} (Import:MaxTitleLength)";
        }

        var bodyBytes = Encoding.UTF8.GetByteCount(document.Body);
        if (bodyBytes == 0)
        {
            yield return "the body is empty";
        }
        else if (bodyBytes > limits.MaxBodyBytes)
        {
            yield return $"the body is {bodyBytes:N0} bytes; the limit is {limits.MaxBodyBytes:N0} (Import:MaxBodyBytes)";
        }
        else if (MarkdownRenderer.ProblemWith(document.Body) is { } markdown)
        {
            yield return markdown;
        }

        if (document.License is { Length: > Article.LicenseMaxLength })
        {
            yield return $"the licence is longer than {Article.LicenseMaxLength} characters";
        }

        if (document.CorrectionNote is { Length: > Article.CorrectionMaxLength })
        {
            yield return $"the correction note is longer than {Article.CorrectionMaxLength} characters";
        }

        if (document.Dateline is { Length: > Article.DatelineMaxLength })
        {
            yield return $"the dateline is longer than {Article.DatelineMaxLength} characters";
        }

        if (document.Site is { } site && (site.Length > Article.SiteMaxLength || site.Any(char.IsWhiteSpace)))
        {
            yield return $"the site '{Shorten(site)}' is not a site name such as rki.news";
        }

        if (document.OriginalUrl is { } url && !IsWebAddress(url))
        {
            yield return $"the original URL '{Shorten(url)}' is not an http or https address of at most {Article.UrlMaxLength} characters";
        }

        if (document.Language is { } language && !IsLanguageTag(language))
        {
            yield return $"the language '{Shorten(language)}' is not a BCP 47 tag such as en or tr";
        }

        if (document.Categories.Count > MaxNamesPerStory)
        {
            yield return $"the story names {document.Categories.Count:N0} categories; a story takes at most {MaxNamesPerStory}";
        }

        if (document.Sources.Count > MaxNamesPerStory)
        {
            yield return $"the story names {document.Sources.Count:N0} sources; a story takes at most {MaxNamesPerStory}";
        }

        foreach (var name in document.Categories.Where(n => n.Length > Category.NameMaxLength))
        {
            yield return $"the category '{Shorten(name)}' is longer than {Category.NameMaxLength} characters";
        }

        foreach (var name in document.Sources.Where(n => n.Length > Source.NameMaxLength))
        {
            yield return $"the source '{Shorten(name)}' is longer than {Source.NameMaxLength} characters";
        }

        if (document.ImageUrl is { } image && !IsWebAddress(image))
        {
            yield return $"the image '{Shorten(image)}' is not an http or https address of at most {Article.UrlMaxLength} characters";
        }
        else if (document.ImageUrl is not null && document.ImageAlt is null)
        {
            yield return "the image has no alt text: say in a few words what it shows (Image alt:, imageAlt)";
        }

        if (document.Summary is { Length: > Article.LedeMaxLength })
        {
            yield return $"the summary is longer than {Article.LedeMaxLength} characters";
        }

        if (document.ImageAlt is { Length: > Article.ImageAltMaxLength })
        {
            yield return $"the image's alt text is longer than {Article.ImageAltMaxLength} characters";
        }

        if (document.Thread is { Length: > Threads.StoryThread.NameMaxLength } thread)
        {
            yield return $"the thread '{Shorten(thread)}' is longer than {Threads.StoryThread.NameMaxLength} characters";
        }

        if (document.Slug is { } slug && !IsSlug(slug))
        {
            yield return $"the slug '{Shorten(slug)}' is not a slug such as talks-in-istanbul";
        }

        if (document.FormerSlugs.Count > MaxFormerSlugs)
        {
            yield return $"a story keeps at most {MaxFormerSlugs} former slugs, not {document.FormerSlugs.Count}";
        }

        foreach (var former in document.FormerSlugs.Where(s => !IsSlug(s)).Take(3))
        {
            yield return $"the former slug '{Shorten(former)}' is not a slug such as talks-in-istanbul";
        }
    }

    /// <summary>How many former addresses one story may bring (an editor renaming a story daily for years makes hundreds).</summary>
    public const int MaxFormerSlugs = 1000;

    /// <summary>
    /// Categories, and sources, a story may name: more than any story needs, few enough that a save's work on names
    /// (each new one's slug and lookalikes) stays small whatever a client sends.
    /// </summary>
    public const int MaxNamesPerStory = 50;

    private static bool IsSlug(string value) => value.Length <= Slug.MaxLength && Slug.From(value, "") == value;

    private static string Line(string value) => Text.Line(value);


    private static List<string> Names(IReadOnlyList<string> names)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return [.. names.Select(Line).Where(name => name.Length > 0 && seen.Add(NameKey.For(name)))];
    }

    private static string Shorten(string value) => value.Length <= 60 ? value : Text.Cut(value, 57) + "…";

    [GeneratedRegex(@"^[a-zA-Z]{2,8}(-[a-zA-Z0-9]{1,8})*$")]
    private static partial Regex LanguageTag();
}
