using System.Text.Json.Serialization;

namespace NewsPortal.Web.Api;

/// <summary>An article in a list.</summary>
public sealed record ApiArticleSummary(
    string Slug, string Title, string Lede, DateOnly PublishedOn, DateTime? DocumentDate, string Language, string Status,
    DateTime? PublishAt, DateTime UpdatedAt, IReadOnlyList<string> Categories, IReadOnlyList<string> Sources);

/// <summary>One article, every field: the Markdown as stored and the HTML as readers see it, and the version to send back when updating.</summary>
public sealed record ApiArticle(
    string Slug, string Title, string? Dateline, string BodyMarkdown, string BodyHtml, string Lede, DateOnly PublishedOn, DateTime? DocumentDate,
    string Language, string? Site, string? OriginalUrl, IReadOnlyList<string> Categories, IReadOnlyList<string> Sources, string Status,
    DateTime? PublishAt, string? CorrectionNote, DateTime CreatedAt, DateTime UpdatedAt, int Version, string? License, string? Thread = null,
    string? Image = null, string? ImageAlt = null, string? Summary = null)
{
    /// <summary>The output-cache tags of a response carrying it (not sent).</summary>
    [JsonIgnore]
    public IReadOnlyList<string> CacheTags { get; init; } = [];
}

/// <summary>A page of results and the cursor of the next one (null on the last page).</summary>
public sealed record ApiPage<T>(IReadOnlyList<T> Items, string? NextCursor)
{
    /// <summary>The output-cache tags of a response carrying it (not sent).</summary>
    [JsonIgnore]
    public IReadOnlyList<string> CacheTags { get; init; } = [];

    /// <summary>
    /// On a list's last page: its words (<c>q</c>) match more stories than the list looks through, so older matches
    /// are not listed, and a category, source, language, dates or another word reach them. Sent only when true.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool OlderMatchesLeftOut { get; init; }

    /// <summary>Its text filter (<c>q</c>) ran out of the search time limit: the items are none, not all there are (not sent).</summary>
    [JsonIgnore]
    public bool Stopped { get; init; }
}

/// <summary>A category or source with its number of public articles.</summary>
public sealed record ApiName(string Name, string Slug, int Articles);

/// <summary>A developing story with its number of public articles and the day of its newest.</summary>
public sealed record ApiThread(string Name, string Slug, int Articles, DateOnly LatestOn);

public sealed record ApiSearchHit(string Slug, string Title, string TitleHtml, string SnippetHtml, DateOnly PublishedOn, string Language);

public sealed record ApiSearchResults(string Query, int Total, int Page, int Pages, IReadOnlyList<ApiSearchHit> Items, string? Message);

/// <summary>
/// What a client sends to create or update an article. On create, title, body and publishedOn are required; on
/// update every field left out keeps its value, and version (from the article as read) is required. An empty thread
/// takes the story out of its thread.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ApiArticleInput(
    string? Title, string? Dateline, string? Body, DateOnly? PublishedOn, DateTime? DocumentDate, string? Language, string? Site,
    string? OriginalUrl, IReadOnlyList<string>? Categories, IReadOnlyList<string>? Sources, string? Status, DateTime? PublishAt,
    string? CorrectionNote, int? Version, string? License = null, string? Thread = null, string? Image = null, string? ImageAlt = null, string? Summary = null,
    string? Slug = null);

public sealed record ApiImportProblem(string File, int Line, string Reason);

/// <summary>The same report as the command line's; <c>Withheld</c>: stories not imported again because an admin deleted them for good.</summary>
public sealed record ApiImportReport(
    bool DryRun, int Imported, int Updated, int Unchanged, int Rejected, IReadOnlyList<ApiImportProblem> Problems, string Summary, int Withheld);

public sealed record ApiTokenCreated(string Token, string Name);
