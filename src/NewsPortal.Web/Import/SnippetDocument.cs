namespace NewsPortal.Web.Import;

/// <summary>One news snippet as read from a file, before it becomes an article.</summary>
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
    IReadOnlyList<string> Paragraphs)
{
    /// <summary>The paragraphs as Markdown, one blank line between each.</summary>
    public string Body => string.Join("\n\n", Paragraphs);
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
