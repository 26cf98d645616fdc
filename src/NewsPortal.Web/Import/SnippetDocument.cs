namespace NewsPortal.Web.Import;

/// <summary>One news story as read from a snippet file or a JSON Lines record, before it becomes an article.</summary>
public sealed record SnippetDocument(
    string Title,
    DateOnly PublishedOn,
    DateTime? DocumentDate,
    string? Language,
    IReadOnlyList<string> Categories,
    string? OriginalUrl,
    string? Site,
    IReadOnlyList<string> Sources,
    string? Dateline,
    string Body)
{
    /// <summary>The slug to keep, when the record carries one (an export being imported back).</summary>
    public string? Slug { get; init; }

    /// <summary>
    /// Addresses the story had before an editor changed its slug (<c>formerSlugs</c> in JSON Lines, as an export writes
    /// them), which lead to it again once imported.
    /// </summary>
    public IReadOnlyList<string> FormerSlugs { get; init; } = [];

    public DateTime? CreatedAtUtc { get; init; }
    public DateTime? UpdatedAtUtc { get; init; }

    /// <summary>
    /// The story's status, when the record carries one (a JSON Lines export); with it come its publish time, its
    /// deletion and its correction note. Without it (snippet files) a story is published, as it always was.
    /// </summary>
    public Articles.ArticleStatus? Status { get; init; }

    public DateTime? PublishAtUtc { get; init; }
    public DateTime? DeletedAtUtc { get; init; }
    public string? CorrectionNote { get; init; }

    /// <summary>The licence the text comes under ("CC BY-SA 4.0"), from a <c>License:</c> header or a <c>license</c> field.</summary>
    public string? License { get; init; }

    /// <summary>
    /// The developing story it follows (<see cref="Threads.StoryThread"/>): the innermost of the topics a record names,
    /// outermost first (a <c>Topics:</c> header such as "Middle Eastern crisis > Gaza war", a <c>topics</c> list).
    /// </summary>
    public string? Thread { get; init; }

    /// <summary>A picture for the story (<c>Image:</c> header, <c>image</c> field) and what it shows (<c>Image alt:</c>, <c>imageAlt</c>).</summary>
    public string? ImageUrl { get; init; }

    public string? ImageAlt { get; init; }

    /// <summary>An editor's summary for listings (<c>summary</c> in JSON Lines), in place of the first paragraph.</summary>
    public string? Summary { get; init; }

    /// <summary>The body's paragraphs: Markdown blocks separated by a blank line.</summary>
    public IReadOnlyList<string> Paragraphs => Body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>Why a line of an import was refused, as <c>file:line: reason</c>.</summary>
public sealed record ImportProblem(string File, int Line, string Reason)
{
    public override string ToString() => $"{File}:{Line}: {Reason}";
}

public sealed record SnippetParseResult(SnippetDocument? Document, IReadOnlyList<ImportProblem> Problems)
{
    public bool Succeeded => Document is not null;
}
