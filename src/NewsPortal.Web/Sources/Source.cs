using NewsPortal.Web.Articles;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Sources;

/// <summary>A news organisation credited for an article, such as "Anadolu Agency".</summary>
public class Source : IndexedName
{
    public const int NameMaxLength = 200;
    public const int SlugMaxLength = 120;

    public List<Article> Articles { get; set; } = [];
}
