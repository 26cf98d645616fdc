using System.Text;
using System.Xml;
using Microsoft.Extensions.Options;
using NewsPortal.Web.Caching;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Sitemaps;

/// <summary>
/// /robots.txt, /sitemap.xml (an index of paged sitemaps: listing pages, developing stories, articles) and
/// /sitemaps/news.xml (Google News, last two days).
/// </summary>
public static class SitemapEndpoints
{
    private const string SitemapNs = "http://www.sitemaps.org/schemas/sitemap/0.9";
    private const string NewsNs = "http://www.google.com/schemas/sitemap-news/0.9";

    public static IEndpointRouteBuilder MapSitemaps(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/robots.txt", (HttpRequest request) =>
        {
            var origin = SiteUrls.Origin(request);
            return Results.Text($"""
                User-agent: *
                Disallow: /admin
                Disallow: /account
                Allow: /

                Sitemap: {origin}/sitemap.xml
                Sitemap: {origin}/sitemaps/news.xml

                """, "text/plain; charset=utf-8");
        }).ExcludeFromDescription();

        endpoints.MapGet("/sitemap.xml", async (HttpRequest request, SitemapService sitemaps, CancellationToken cancellationToken) =>
        {
            // A new thread (a story saved into it) changes what the story's listings are, which evicts SitemapPages.
            request.HttpContext.TagResponse(CacheTags.SitemapIndex, CacheTags.SitemapPages);
            var origin = SiteUrls.Origin(request);
            var pages = await sitemaps.ArticleSitemapCountAsync(cancellationToken);
            var threadPages = await sitemaps.ThreadSitemapCountAsync(cancellationToken);
            return Xml(writer =>
            {
                writer.WriteStartElement("sitemapindex", SitemapNs);
                foreach (var path in new[] { "/sitemaps/pages.xml", "/sitemaps/news.xml" }
                    .Concat(Enumerable.Range(1, threadPages).Select(p => $"/sitemaps/threads-{p}.xml"))
                    .Concat(Enumerable.Range(1, pages).Select(p => $"/sitemaps/articles-{p}.xml")))
                {
                    writer.WriteStartElement("sitemap", SitemapNs);
                    writer.WriteElementString("loc", SitemapNs, origin + path);
                    writer.WriteEndElement();
                }

                writer.WriteEndElement();
            });
        }).ExcludeFromDescription();

        endpoints.MapGet("/sitemaps/pages.xml", async (HttpRequest request, SitemapService sitemaps, CancellationToken cancellationToken) =>
        {
            request.HttpContext.TagResponse(CacheTags.SitemapPages);
            var origin = SiteUrls.Origin(request);
            var paths = await sitemaps.ListingPathsAsync(cancellationToken);
            return UrlSet(paths.Select(path => (origin + path, (string?)null)));
        }).ExcludeFromDescription();

        endpoints.MapGet("/sitemaps/articles-{page:int}.xml", async (int page, HttpRequest request, SitemapService sitemaps, CancellationToken cancellationToken) =>
        {
            if (page < 1 || page > await sitemaps.ArticleSitemapCountAsync(cancellationToken))
            {
                return Results.NotFound();
            }

            request.HttpContext.TagResponse(CacheTags.ArticleSitemap(page));
            var origin = SiteUrls.Origin(request);
            var articles = await sitemaps.ArticlesAsync(page, cancellationToken);
            return UrlSet(articles.Select(a => ($"{origin}/articles/{a.Slug}", (string?)a.UpdatedAtUtc.ToUtcIsoString())));
        }).ExcludeFromDescription();

        endpoints.MapGet("/sitemaps/threads-{page:int}.xml", async (int page, HttpRequest request, SitemapService sitemaps, CancellationToken cancellationToken) =>
        {
            if (page < 1 || page > await sitemaps.ThreadSitemapCountAsync(cancellationToken))
            {
                return Results.NotFound();
            }

            // A thread's count and newest story change as stories enter and leave listings, and its slug with a rename
            // or a merge: each of those evicts SitemapPages.
            request.HttpContext.TagResponse(CacheTags.SitemapPages);
            var origin = SiteUrls.Origin(request);
            var threads = await sitemaps.ThreadsAsync(page, cancellationToken);
            return UrlSet(threads.Select(t => ($"{origin}/threads/{t.Slug}", (string?)t.LatestOn.ToIsoString())));
        }).ExcludeFromDescription();

        endpoints.MapGet("/sitemaps/news.xml", async (HttpRequest request, SitemapService sitemaps, IOptions<PortalOptions> options, CancellationToken cancellationToken) =>
        {
            request.HttpContext.TagResponse(CacheTags.NewsSitemap);
            var origin = SiteUrls.Origin(request);
            var articles = await sitemaps.RecentNewsAsync(cancellationToken);
            return Xml(writer =>
            {
                writer.WriteStartElement("urlset", SitemapNs);
                writer.WriteAttributeString("xmlns", "news", null, NewsNs);
                foreach (var article in articles)
                {
                    writer.WriteStartElement("url", SitemapNs);
                    writer.WriteElementString("loc", SitemapNs, $"{origin}/articles/{article.Slug}");
                    writer.WriteStartElement("news", "news", NewsNs);
                    writer.WriteStartElement("news", "publication", NewsNs);
                    writer.WriteElementString("news", "name", NewsNs, Text.Clean(options.Value.SiteName));
                    writer.WriteElementString("news", "language", NewsNs, article.Language);
                    writer.WriteEndElement();
                    writer.WriteElementString("news", "publication_date", NewsNs, article.PublicationDate);
                    writer.WriteElementString("news", "title", NewsNs, Text.Clean(article.Title));
                    writer.WriteEndElement();
                    writer.WriteEndElement();
                }

                writer.WriteEndElement();
            });
        }).ExcludeFromDescription();

        return endpoints;
    }

    private static readonly XmlWriterSettings Utf8 = new() { Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), Indent = false };

    /// <summary>A sitemap of these addresses, each with its last change when known.</summary>
    private static IResult UrlSet(IEnumerable<(string Location, string? LastModified)> urls) => Xml(writer =>
    {
        writer.WriteStartElement("urlset", SitemapNs);
        foreach (var (location, lastModified) in urls)
        {
            writer.WriteStartElement("url", SitemapNs);
            writer.WriteElementString("loc", SitemapNs, location);
            if (lastModified is not null)
            {
                writer.WriteElementString("lastmod", SitemapNs, lastModified);
            }

            writer.WriteEndElement();
        }

        writer.WriteEndElement();
    });

    /// <summary>The document written straight to UTF-8 bytes: no string of it is made, copied or encoded again.</summary>
    private static IResult Xml(Action<XmlWriter> write)
    {
        var bytes = new MemoryStream();
        using (var writer = XmlWriter.Create(bytes, Utf8))
        {
            writer.WriteStartDocument();
            write(writer);
            writer.WriteEndDocument();
        }

        return Results.Bytes(bytes.GetBuffer().AsMemory(0, (int)bytes.Length), "application/xml; charset=utf-8");
    }
}
