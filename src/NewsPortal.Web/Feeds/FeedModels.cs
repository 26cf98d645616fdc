namespace NewsPortal.Web.Feeds;

public enum FeedFormat
{
    Atom,
    Rss,
    Json,
}

/// <summary>What a feed is about: its title, the page it mirrors and its own address in the format being written.</summary>
public sealed record FeedChannel(string Title, string Description, Uri PageUrl, Uri FeedUrl, string? Language = null)
{
    /// <summary>"Business · NewsPortal", or the site name alone for the whole site; autodiscovery links use the same.</summary>
    public static string TitleFor(string siteName, string? subject) => string.IsNullOrEmpty(subject) ? siteName : $"{subject} · {siteName}";
}

/// <summary>One entry of a feed. <see cref="ContentHtml"/> must already be sanitised: the writers escape it, they do not clean it.</summary>
public sealed record FeedItem(
    string Id,
    Uri Url,
    string Title,
    string ContentHtml,
    DateTimeOffset Published,
    DateTimeOffset Updated,
    string Language,
    IReadOnlyList<string> Categories,
    IReadOnlyList<FeedAuthor> Authors)
{
    /// <summary>The cache tags of a feed carrying this entry: its story and the names it shows.</summary>
    public IReadOnlyList<string> CacheTags { get; init; } = [];

    /// <summary>The licence its text comes under (Atom <c>rights</c>), when its source names one.</summary>
    public string? License { get; init; }
}

/// <summary>Who an entry is credited to (for articles, their sources) and the page about them.</summary>
public sealed record FeedAuthor(string Name, Uri? Url);

public static class FeedFormats
{
    public static IReadOnlyList<FeedFormat> All { get; } = [FeedFormat.Atom, FeedFormat.Rss, FeedFormat.Json];

    /// <summary>The format named by a feed address's extension: <c>atom</c>, <c>rss</c> or <c>json</c>.</summary>
    public static bool TryParse(string extension, out FeedFormat format)
    {
        (var known, format) = extension switch
        {
            "atom" => (true, FeedFormat.Atom),
            "rss" => (true, FeedFormat.Rss),
            "json" => (true, FeedFormat.Json),
            _ => (false, default),
        };
        return known;
    }

    public static string Extension(this FeedFormat format) => format switch
    {
        FeedFormat.Atom => "atom",
        FeedFormat.Rss => "rss",
        _ => "json",
    };

    public static string MediaType(this FeedFormat format) => format switch
    {
        FeedFormat.Atom => "application/atom+xml",
        FeedFormat.Rss => "application/rss+xml",
        _ => "application/feed+json",
    };

    public static string ContentType(this FeedFormat format) => $"{format.MediaType()}; charset=utf-8";

    /// <summary>How a reader's feed picker names the format.</summary>
    public static string Label(this FeedFormat format) => format switch
    {
        FeedFormat.Atom => "Atom",
        FeedFormat.Rss => "RSS",
        _ => "JSON Feed",
    };

    /// <summary>The feed beside a listing: <c>/</c> → <c>/feed.atom</c>, <c>/categories/business</c> → <c>/categories/business/feed.atom</c>.</summary>
    /// <summary>"/categories/x" gives "/categories/x/feed.atom"; a query stays a query: "/search?q=y" gives "/search/feed.atom?q=y".</summary>
    public static string PathFor(string listingPath, FeedFormat format)
    {
        var queryStart = listingPath.IndexOf('?', StringComparison.Ordinal);
        var (path, query) = queryStart < 0 ? (listingPath, "") : (listingPath[..queryStart], listingPath[queryStart..]);
        return $"{path.TrimEnd('/')}/feed.{format.Extension()}{query}";
    }
}
