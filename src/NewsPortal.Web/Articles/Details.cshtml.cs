using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace NewsPortal.Web.Articles;

public sealed class DetailsModel(ArticleService articles) : PageModel
{
    public ArticleDetails Article { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken cancellationToken)
    {
        var lookup = await articles.GetBySlugAsync(slug, cancellationToken);
        if (lookup.Gone)
        {
            return StatusCode(StatusCodes.Status410Gone);
        }

        if (lookup.Article is null)
        {
            return NotFound();
        }

        Article = lookup.Article;
        return Page();
    }
}
