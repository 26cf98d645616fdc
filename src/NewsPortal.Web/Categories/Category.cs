using NewsPortal.Web.Articles;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Categories;

public class Category : INamedEntity, INamedRow, IIndexedName
{
    public const int NameMaxLength = 100;
    public const int SlugMaxLength = 120;

    public int Id { get; set; }
    public required string Name { get; set; }

    /// <summary>The name folded by <see cref="Shared.NameKey"/>, so "Snippets" and " snippets " are one category.</summary>
    public required string NameKey
    {
        get => _nameKey;
        set
        {
            _nameKey = value;
            IndexKey = Shared.NameKey.ForIndex(value);
        }
    }

    private string _nameKey = "";

    /// <summary>Where the name files in the A–Z (see <see cref="Shared.NameKey.ForIndex"/>), kept with its key.</summary>
    public string IndexKey { get; private set; } = "";

    public required string Slug { get; set; }

    /// <summary>How many listed (public) stories have this category; kept by the store's triggers as links and stories change.</summary>
    public int ArticleCount { get; private set; }

    public List<Article> Articles { get; set; } = [];

    public void Rename(string name, string nameKey, string slug)
    {
        Name = name;
        NameKey = nameKey;
        Slug = slug;
    }
}
