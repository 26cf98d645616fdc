namespace NewsPortal.Web.Shared;

/// <summary>Absolute addresses of the site's pages, for places that leave the site (feeds).</summary>
public static class PublicUrls
{
    /// <summary>
    /// The address every absolute link starts from, ending in a slash: <see cref="PortalOptions.PublicBaseUrl"/> when set,
    /// else the scheme, host and path base the request came to.
    /// </summary>
    public static Uri BaseUrl(this HttpRequest request, PortalOptions options)
        => new((options.PublicBaseUrl is { Length: > 0 } configured ? configured : $"{request.Scheme}://{request.Host}{request.PathBase}").TrimEnd('/') + "/");

    /// <summary>The absolute address of a site path such as <c>/articles/some-story</c>.</summary>
    public static Uri Absolute(this Uri baseUrl, string path) => new(baseUrl, path.TrimStart('/'));
}
