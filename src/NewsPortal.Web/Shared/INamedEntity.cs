namespace NewsPortal.Web.Shared;

/// <summary>A category or a source: found by its <see cref="NameKey"/>, shown by its name, addressed by its slug.</summary>
public interface INamedEntity
{
    string Name { get; }
    string NameKey { get; }
    string Slug { get; }
}

/// <summary>A stored category or source that an admin can rename.</summary>
public interface INamedRow
{
    int Id { get; }

    /// <summary>How many public stories carry this name, kept on write.</summary>
    int ArticleCount { get; }

    void Rename(string name, string nameKey, string slug);
}
