using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsPortal.Web.Caching;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Search;

public sealed class IndexModel(SearchService search) : PageModel
{
    public SearchResults? Results { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? q, [FromQuery(Name = "page")] string? pageNumber, string? sort, CancellationToken cancellationToken)
    {
        if (!PageNumber.TryParse(pageNumber, out var page))
        {
            return ErrorModel.BadRequest(this, PageNumber.InvalidMessage);
        }

        if (!SearchQuery.TryParseSort(sort, out var newestFirst, out var problem))
        {
            return ErrorModel.BadRequest(this, problem!);
        }

        Results = await search.SearchAsync(SearchQuery.Parse(q) with { NewestFirst = newestFirst }, page, cancellationToken);
        HttpContext.TagResponse([CacheTags.Search, .. Results.Hits.Items.SelectMany(SearchService.TagsOf)]);
        return Page();
    }
}
