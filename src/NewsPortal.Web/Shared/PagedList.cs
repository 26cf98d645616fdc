namespace NewsPortal.Web.Shared;

public sealed record PagedList<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, int TotalCount)
{
    public int TotalPages => Math.Max(1, (TotalCount + PageSize - 1) / PageSize);
    public bool HasPrevious => PageNumber > 1;
    public bool HasNext => PageNumber < TotalPages;
}

/// <summary>A link to a category or source (or an article, by its title), as listings and article pages show them.</summary>
public sealed record NamedLink(string Name, string Slug)
{
    /// <summary>The row's id, when the link was read with it (0 otherwise); not part of what a page shows.</summary>
    public int Id { get; init; }
}

/// <summary>A category or source with the number of articles it has.</summary>
public sealed record NamedCount(int Id, string Name, string Slug, int ArticleCount);
