using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsPortal.Web.Caching;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Search;

public sealed class IndexModel(SearchService search, SearchSuggestions suggestions) : PageModel
{
    public SearchResults? Results { get; private set; }

    /// <summary>For a search that found nothing: a respelt query and the names it touches.</summary>
    public SearchSuggestion? Suggestion { get; private set; }

    public async Task<IActionResult> OnGetAsync(
        string? q, [FromQuery(Name = "page")] string? pageNumber, string? sort, string? from, string? to, string? source, string? category, string? lang,
        CancellationToken cancellationToken)
    {
        // The page's filter fields are the operators written for the reader: the search goes on at its one address.
        if (from is not null || to is not null || source is not null || category is not null || lang is not null)
        {
            if (!SearchFilters.TryWrite(q, from, to, source, category, lang, out var written, out var filterProblem))
            {
                return ErrorModel.BadRequest(this, filterProblem!);
            }

            return Redirect($"/search?q={Uri.EscapeDataString(written)}{(string.IsNullOrEmpty(sort) ? "" : "&sort=" + Uri.EscapeDataString(sort))}");
        }

        if (!PageNumber.TryParse(pageNumber, out var page))
        {
            return ErrorModel.BadRequest(this, PageNumber.InvalidMessage);
        }

        if (!SearchQuery.TryParseSort(sort, out var newestFirst, out var problem))
        {
            return ErrorModel.BadRequest(this, problem!);
        }

        Results = await search.SearchAsync(SearchQuery.Parse(q) with { NewestFirst = newestFirst }, page, cancellationToken);
        if (Results.Stopped)
        {
            // Not kept by the cache (it keeps only 200s): the next try may find the site less busy.
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Page();
        }

        if (Results.Hits.TotalCount == 0 && !Results.Query.IsEmpty)
        {
            Suggestion = await suggestions.ForAsync(Results.Query, cancellationToken);
        }

        HttpContext.TagResponse([CacheTags.Search, .. Results.Hits.Items.SelectMany(SearchService.TagsOf)]);
        return Page();
    }
}
