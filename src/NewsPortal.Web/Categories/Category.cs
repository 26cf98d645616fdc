using NewsPortal.Web.Articles;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Categories;

public class Category : IndexedName
{
    public const int NameMaxLength = 100;
    public const int SlugMaxLength = 120;

    public List<Article> Articles { get; set; } = [];
}
