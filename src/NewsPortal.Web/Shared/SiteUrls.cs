using Microsoft.Extensions.Options;

namespace NewsPortal.Web.Shared;

/// <summary>Absolute URLs for canonical links, structured data, sitemaps and feeds.</summary>
public static class SiteUrls
{
    /// <summary>
    /// The site's origin without a trailing slash: <see cref="PortalOptions.PublicBaseUrl"/> when set (behind a proxy,
    /// or to keep feed ids stable), else the scheme, host and path base the request came to.
    /// </summary>
    public static string Origin(HttpRequest request)
        => request.HttpContext.RequestServices.GetService<IOptions<PortalOptions>>()?.Value.PublicOrigin
            ?? $"{request.Scheme}://{request.Host}{request.PathBase}".TrimEnd('/');

    public static string Absolute(HttpRequest request, string path) => Origin(request) + (path.StartsWith('/') ? path : "/" + path);

    /// <summary>The origin as a base URI ending in a slash, for resolving site paths.</summary>
    public static Uri BaseUrl(this HttpRequest request) => new(Origin(request) + "/");

    /// <summary>The absolute address of a site path such as <c>/articles/some-story</c>.</summary>
    public static Uri Absolute(this Uri baseUrl, string path) => new(baseUrl, path.TrimStart('/'));

    /// <summary>
    /// The canonical URL of the current page: its path, plus the page number of a listing past its first page
    /// and the query of a search; everything else in the query string is left out.
    /// </summary>
    public static string Canonical(HttpRequest request)
    {
        var query = request.Query
            .Where(q => (q.Key == "page" && q.Value != "1") || (q.Key == "q" && request.Path.StartsWithSegments("/search")))
            .Select(q => new KeyValuePair<string, string?>(q.Key, q.Value.ToString()));
        return Origin(request) + request.Path + QueryString.Create(query);
    }
}
