using NewsPortal.Web.Articles;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Sources;

/// <summary>A news organisation credited for an article, such as "Anadolu Agency".</summary>
public class Source : INamedEntity, INamedRow
{
    public const int NameMaxLength = 200;
    public const int SlugMaxLength = 120;

    public int Id { get; set; }
    public required string Name { get; set; }

    /// <summary>The name folded by <see cref="Shared.NameKey"/>, so "Anadolu Agency" and "anadolu  agency" are one source.</summary>
    public required string NameKey { get; set; }

    public required string Slug { get; set; }
    public List<Article> Articles { get; set; } = [];

    public void Rename(string name, string nameKey, string slug)
    {
        Name = name;
        NameKey = nameKey;
        Slug = slug;
    }
}
