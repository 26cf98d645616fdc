using NewsPortal.Web.Articles;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Threads;

/// <summary>
/// A developing story: a long-running news event ("Gaza war", "2026 Ebola epidemic") that stories follow across days.
/// A story belongs to at most one thread, the most specific one its source names.
/// </summary>
public class StoryThread : INamedEntity, INamedRow
{
    public const int NameMaxLength = 200;
    public const int SlugMaxLength = 120;

    public int Id { get; set; }
    public required string Name { get; set; }

    /// <summary>The name folded by <see cref="Shared.NameKey"/>, so "Gaza war" and "gaza  War" are one thread.</summary>
    public required string NameKey { get; set; }

    public required string Slug { get; set; }

    /// <summary>How many listed (public) stories follow this thread; kept by the store's triggers.</summary>
    public int ArticleCount { get; private set; }

    /// <summary>
    /// The listing position (<see cref="ListingOrder"/>) of the thread's newest listed story, null while it has none;
    /// kept by the store's triggers, so the most active threads are one index read.
    /// </summary>
    public long? LatestSortKey { get; private set; }

    public List<Article> Articles { get; set; } = [];

    public void Rename(string name, string nameKey, string slug)
    {
        Name = name;
        NameKey = nameKey;
        Slug = slug;
    }
}
