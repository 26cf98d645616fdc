namespace NewsPortal.Web.Shared;

/// <summary>
/// A category or a source as stored: matched by its key, listed in an A–Z by the filing key kept with it, and
/// counted by the store's triggers.
/// </summary>
public abstract class IndexedName : INamedEntity, INamedRow
{
    public int Id { get; set; }
    public required string Name { get; set; }

    /// <summary>The name folded by <see cref="Shared.NameKey"/>, so "Anadolu Agency" and "anadolu  agency" are one name.</summary>
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

    /// <summary>How many listed (public) stories carry this name; kept by the store's triggers as links and stories change.</summary>
    public int ArticleCount { get; private set; }

    public void Rename(string name, string nameKey, string slug)
    {
        Name = name;
        NameKey = nameKey;
        Slug = slug;
    }
}
