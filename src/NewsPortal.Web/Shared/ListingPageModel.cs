using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Caching;

namespace NewsPortal.Web.Shared;

/// <summary>
/// A page that lists articles a page at a time: the first page at the listing's address, older pages at
/// <c>?before=</c> and newer ones at <c>?after=</c> a story's position, so a page reads one index walk however deep
/// it is and never repeats or skips a story as new ones arrive. Old <c>?page=N</c> addresses redirect.
/// </summary>
public abstract class ListingPageModel : PageModel
{
    public ListingPage<ArticleCard> Articles { get; private set; } = null!;

    /// <summary>"Headlines" on the first page; "Headlines, 2 June 2025 and earlier" further in, so every page has its own title.</summary>
    public string TitleFor(string name) => Articles.IsFirst || Articles.Items.Count == 0
        ? name
        : $"{name}, {Articles.Items[0].PublishedOn.ToDisplayString()} and earlier";

    /// <summary>Shows the page of <paramref name="listing"/> the query asks for, or answers 400, or redirects.</summary>
    protected async Task<IActionResult> ShowListingAsync(ArticleService articles, Listing listing, CancellationToken cancellationToken)
    {
        var query = Request.Query;
        if (query.TryGetValue("page", out var pageValue))
        {
            if (!PageNumber.TryParse(pageValue, out var page))
            {
                return ErrorModel.BadRequest(this, PageNumber.InvalidMessage);
            }

            var start = await articles.LegacyPageAsync(listing, page, cancellationToken);
            return RedirectWith(start is { } cursor ? [new("before", cursor.ToString())] : []);
        }

        ListingCursor? before = null, after = null;
        if ((query.TryGetValue("before", out var beforeValue) && !ListingCursor.TryParse(beforeValue, out before))
            || (query.TryGetValue("after", out var afterValue) && !ListingCursor.TryParse(afterValue, out after))
            || (before is not null && after is not null))
        {
            return ErrorModel.BadRequest(this, ListingCursor.InvalidMessage);
        }

        if (await articles.PageAsync(listing, before, after, cancellationToken) is not { } found)
        {
            // Fewer than a page newer than that: the newest stories are the listing's first page.
            return RedirectWith([]);
        }

        Articles = found;
        HttpContext.TagResponse([listing.CacheTag, .. CacheTags.Showing(found.Items)]);
        return Page();
    }

    private RedirectResult RedirectWith(IEnumerable<KeyValuePair<string, string?>> position)
    {
        var query = Request.Query
            .Where(pair => pair.Key is not ("page" or "before" or "after"))
            .Select(pair => new KeyValuePair<string, string?>(pair.Key, pair.Value.ToString()))
            .Concat(position);
        return Redirect(Request.PathBase + Request.Path + QueryString.Create(query));
    }

    /// <summary>The link to the page newer than this one, or null on the first page.</summary>
    public static string? NewerLink(ListingPage<ArticleCard> page)
        => page.Newer is { } newer ? "?after=" + newer.ToString() : page.NewerIsFirstPage ? "?" : null;

    /// <summary>The link to the page older than this one, or null on the last page.</summary>
    public static string? OlderLink(ListingPage<ArticleCard> page)
        => page.Older is { } older ? "?before=" + older.ToString() : null;

    protected static string Number(int count) => count.ToString("N0", CultureInfo.InvariantCulture);
}
