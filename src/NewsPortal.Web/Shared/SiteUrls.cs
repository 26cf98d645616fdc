namespace NewsPortal.Web.Shared;

/// <summary>Absolute URLs for canonical links, structured data, sitemaps and feeds.</summary>
public static class SiteUrls
{
    /// <summary>The site's origin as the reader reached it, such as https://news.example.org.</summary>
    public static string Origin(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";

    public static string Absolute(HttpRequest request, string path) => Origin(request) + (path.StartsWith('/') ? path : "/" + path);

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
