namespace NewsPortal.Web.Shared;

public sealed record PagedList<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, int TotalCount)
{
    public int TotalPages => Math.Max(1, (TotalCount + PageSize - 1) / PageSize);
    public bool HasPrevious => PageNumber > 1;
    public bool HasNext => PageNumber < TotalPages;
}

/// <summary>A link to a category or source, as listings and article pages show them.</summary>
public sealed record NamedLink(string Name, string Slug);

/// <summary>A category or source with the number of articles it has.</summary>
public sealed record NamedCount(int Id, string Name, string Slug, int ArticleCount);
