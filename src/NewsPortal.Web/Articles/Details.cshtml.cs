using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using NewsPortal.Web.Caching;
using NewsPortal.Web.Search;
using NewsPortal.Web.Shared;
using NewsPortal.Web.Threads;

namespace NewsPortal.Web.Articles;

public sealed class DetailsModel(
    ArticleService articles, SearchService search, ThreadService threads, PreviewLinks previews, TimeProvider clock, IOptions<PortalOptions> options)
    : PageModel
{
    /// <summary>How many of the thread's newest stories "More on this story" lists.</summary>
    public const int MoreOnThread = 5;

    public IReadOnlyList<Headline> MoreOnStory { get; private set; } = [];

    public ArticleDetails Article { get; private set; } = null!;
    public string JsonLd { get; private set; } = "";
    public IReadOnlyList<RelatedArticle> Related { get; private set; } = [];
    public CategoryNeighbours? Neighbours { get; private set; }
    public DateOnly Today { get; private set; }

    /// <summary>Shown through a preview link: not public yet, so not for search engines or caches.</summary>
    public bool IsPreview { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, string? preview, CancellationToken cancellationToken)
    {
        var lookup = await articles.GetBySlugAsync(slug, cancellationToken, evenIfNotPublic: preview is not null);
        if (lookup.Article is { Status: not ArticleStatus.Published } hidden)
        {
            if (!previews.Allows(preview, hidden.Id))
            {
                return NotFound();
            }

            IsPreview = true;
            Response.Headers.CacheControl = "private, no-store";
            Response.Headers["X-Robots-Tag"] = "noindex, nofollow";
        }

        if (lookup.Gone)
        {
            return StatusCode(StatusCodes.Status410Gone);
        }

        if (lookup.Article is null)
        {
            if (await articles.MovedToAsync(slug, cancellationToken) is { } moved)
            {
                HttpContext.TagResponse([CacheTags.Article(moved.Id)]);
                return RedirectPermanent($"/articles/{Slug.InPath(moved.Slug)}{Request.QueryString}");
            }

            return NotFound();
        }

        Article = lookup.Article;
        JsonLd = StructuredData.NewsArticle(Article, SiteUrls.Absolute(Request, $"/articles/{Article.Slug}"), options.Value.SiteName, SiteUrls.Origin(Request));
        Neighbours = await articles.NeighboursAsync(Article, cancellationToken);
        if (Article.Thread is { } thread)
        {
            MoreOnStory = await threads.NewestAsync(thread.Id, MoreOnThread, except: Article.Id, cancellationToken);
            // A story joining the thread changes this list without changing this story.
            HttpContext.TagResponse([Listing.InThread(thread.Id).CacheTag, CacheTags.Thread(thread.Id)]);
        }

        var neighbours = new[] { Neighbours?.Newer, Neighbours?.Older }.OfType<NamedLink>().ToList();
        Related = await search.RelatedAsync(Article, [.. MoreOnStory.Select(h => h.Id), .. neighbours.Select(n => n.Id)], cancellationToken);

        Today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        HttpContext.TagResponse([
            CacheTags.Article(Article.Id),
            CacheTags.ArticlePage(Article.Id),
            .. Article.Categories.Select(c => CacheTags.Category(c.Id)),
            .. Article.Sources.Select(s => CacheTags.Source(s.Id)),
            .. Related.Select(r => CacheTags.Article(r.Id)),
            .. neighbours.Select(n => CacheTags.Article(n.Id)),
        ]);
        return Page();
    }
}
