using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using NewsPortal.Web.Search;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Articles;

public sealed class DetailsModel(ArticleService articles, SearchService search, TimeProvider clock, IOptions<PortalOptions> options) : PageModel
{
    public ArticleDetails Article { get; private set; } = null!;
    public string JsonLd { get; private set; } = "";
    public IReadOnlyList<RelatedArticle> Related { get; private set; } = [];
    public CategoryNeighbours? Neighbours { get; private set; }
    public DateOnly Today { get; private set; }

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
        JsonLd = StructuredData.NewsArticle(Article, SiteUrls.Absolute(Request, $"/articles/{Article.Slug}"), options.Value.SiteName, SiteUrls.Origin(Request));
        Related = await search.RelatedAsync(Article, cancellationToken);
        Neighbours = await articles.NeighboursAsync(Article, cancellationToken);
        Today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        return Page();
    }
}
