using System.ServiceModel.Syndication;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using System.Xml;
using Microsoft.Extensions.Options;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Feeds;

/// <summary>
/// Atom 1.0, RSS 2.0 and JSON Feed 1.1. Writing takes a channel and its items, whatever listing they come from
/// (<see cref="LatestAsync"/> gives the article listings' items), so any page with results can offer a feed.
/// </summary>
public sealed class FeedService(
    NewsDbContext db, ArticleService articles, MarkdownRenderer markdown, TimeProvider clock, IOptions<FeedOptions> feedOptions, IOptions<PortalOptions> portalOptions)
{
    // The body only when it was stored before bodies were kept rendered.
    private const string FeedColumns = """
        a."Id", a."SortKey", a."Title", a."Slug", a."Dateline", a."BodyHtml", CASE WHEN a."BodyHtml" IS NULL THEN a."Body" END AS "Body",
        a."Language", a."PublishAtUtc", a."CreatedAtUtc", a."UpdatedAtUtc", a."License"
        """;

    public const string JsonFeedVersion = "https://jsonfeed.org/version/1.1";
    private const string DublinCore = "http://purl.org/dc/elements/1.1/";
    private const string XmlNamespace = "http://www.w3.org/XML/1998/namespace";

    private static readonly JsonSerializerOptions JsonFeedOptions = new()
    {
        // Letters of every script as they are; <, > and & are still escaped, so content_html is inert even if pasted into a page.
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private string SiteName => portalOptions.Value.SiteName;

    private Uri? Hub => feedOptions.Value.WebSubHub is { Length: > 0 } hub ? new Uri(hub) : null;

    /// <summary>The newest stories of a listing as feed items, in the listing's order, linked from <paramref name="baseUrl"/>.</summary>
    public async Task<IReadOnlyList<FeedItem>> LatestAsync(Uri baseUrl, Listing listing, CancellationToken cancellationToken = default)
        => await ItemsAsync(baseUrl, await articles.WalkAsync<FeedRow>(listing, FeedColumns, null, older: true, feedOptions.Value.ItemCount, cancellationToken), cancellationToken);

    /// <summary>These stories (the public ones among them) as feed items, newest first.</summary>
    public async Task<IReadOnlyList<FeedItem>> ForIdsAsync(Uri baseUrl, IReadOnlyList<int> ids, CancellationToken cancellationToken = default)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var list = string.Join(", ", ids.Select((_, i) => $"{{{i}}}"));
        var sql = $$"""SELECT {{FeedColumns}} FROM "Articles" a WHERE a."Listed" = {{Data.StoreDialect.Of(db.Database).Literal(true)}} AND a."Id" IN ({{list}})""";
        var rows = await db.Database.RowsAsync<FeedRow>(sql, [.. ids.Cast<object>()], cancellationToken);
        return await ItemsAsync(baseUrl, [.. rows.OrderByDescending(r => r.SortKey).ThenByDescending(r => r.Id)], cancellationToken);
    }

    private async Task<IReadOnlyList<FeedItem>> ItemsAsync(Uri baseUrl, List<FeedRow> rows, CancellationToken cancellationToken)
    {
        var names = await articles.NamesAsync([.. rows.Select(r => r.Id)], cancellationToken);
        return [.. rows.Select(a =>
        {
            var url = baseUrl.Absolute($"/articles/{a.Slug}");
            var published = Utc(ListingOrder.PublishedAt(a.SortKey, a.PublishAtUtc, a.CreatedAtUtc));
            // A story scheduled ahead was last saved before it went out; it should not read as updated before it was published.
            var updated = Utc(a.UpdatedAtUtc) > published ? Utc(a.UpdatedAtUtc) : published;
            return new FeedItem(
                url.AbsoluteUri, url, a.Title, a.BodyHtml ?? markdown.ToHtml(a.Body ?? "", a.Dateline), published, updated, a.Language,
                [.. names.CategoriesOf(a.Id).Select(c => c.Name)],
                [.. names.SourcesOf(a.Id).Select(s => new FeedAuthor(s.Name, baseUrl.Absolute($"/sources/{s.Slug}")))])
            {
                CacheTags = [Caching.CacheTags.Article(a.Id), .. names.CategoriesOf(a.Id).Select(c => Caching.CacheTags.Category(c.Id)),
                    .. names.SourcesOf(a.Id).Select(s => Caching.CacheTags.Source(s.Id))],
                License = a.License,
            };
        })];
    }

    /// <summary>The feed as a response with its media type and charset.</summary>
    public IResult Result(FeedFormat format, FeedChannel channel, IReadOnlyList<FeedItem> items)
        => Results.Bytes(Write(format, channel, items), format.ContentType());

    /// <summary>The feed as UTF-8 bytes.</summary>
    public byte[] Write(FeedFormat format, FeedChannel channel, IReadOnlyList<FeedItem> items)
        => format == FeedFormat.Json ? WriteJsonFeed(channel, items) : WriteSyndication(format, channel, items);

    private byte[] WriteSyndication(FeedFormat format, FeedChannel channel, IReadOnlyList<FeedItem> items)
    {
        var atom = format == FeedFormat.Atom;
        var feed = new SyndicationFeed(Text.Clean(channel.Title), Text.Clean(channel.Description), channel.PageUrl, channel.FeedUrl.AbsoluteUri, LastUpdated(items))
        {
            Language = channel.Language ?? SharedLanguage(items),
            Generator = SiteName,
        };
        // rel=self always, rel=hub when there is one: WebSub subscribers need both. RSS carries them as atom:link.
        feed.Links.Add(SyndicationLink.CreateSelfLink(channel.FeedUrl, format.MediaType()));
        if (Hub is { } hub)
        {
            feed.Links.Add(new SyndicationLink(hub) { RelationshipType = "hub" });
        }

        if (atom)
        {
            // Atom needs an author on the feed or on every entry; the site stands in for stories that credit no source.
            feed.Authors.Add(new SyndicationPerson(null, Text.Clean(SiteName), null));
        }
        else
        {
            feed.AttributeExtensions.Add(new XmlQualifiedName("dc", "http://www.w3.org/2000/xmlns/"), DublinCore);
        }

        feed.Items = [.. items.Select(item => ToSyndicationItem(item, atom))];

        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false) }))
        {
            writer.WriteStartDocument();
            (atom ? (SyndicationFeedFormatter)new Atom10FeedFormatter(feed) : new Rss20FeedFormatter(feed)).WriteTo(writer);
        }

        return stream.ToArray();
    }

    // Text is cleaned on the way out too: one odd character stored before text was cleaned where it enters must not break a whole feed.
    private static SyndicationItem ToSyndicationItem(FeedItem item, bool atom)
    {
        // The HTML goes out as escaped text (Atom type="html", RSS description), never as markup of the feed itself.
        var entry = new SyndicationItem(Text.Clean(item.Title), SyndicationContent.CreateHtmlContent(Text.Clean(item.ContentHtml)), item.Url, item.Id, item.Updated)
        {
            PublishDate = item.Published,
            Copyright = item.License is { } license ? new TextSyndicationContent(Text.Clean(license)) : null,
        };
        foreach (var category in item.Categories)
        {
            entry.Categories.Add(new SyndicationCategory(Text.Clean(category)));
        }

        if (atom)
        {
            entry.AttributeExtensions.Add(new XmlQualifiedName("lang", XmlNamespace), item.Language);
            foreach (var author in item.Authors)
            {
                entry.Authors.Add(new SyndicationPerson(null, Text.Clean(author.Name), author.Url?.AbsoluteUri));
            }
        }
        else
        {
            // RSS's own <author> is an email address; sources are names, which Dublin Core's creator is for.
            foreach (var author in item.Authors)
            {
                entry.ElementExtensions.Add("creator", DublinCore, Text.Clean(author.Name));
            }
        }

        return entry;
    }

    private byte[] WriteJsonFeed(FeedChannel channel, IReadOnlyList<FeedItem> items)
    {
        var feed = new JsonFeed(
            JsonFeedVersion,
            Text.Clean(channel.Title),
            channel.PageUrl.AbsoluteUri,
            channel.FeedUrl.AbsoluteUri,
            Text.Clean(channel.Description),
            channel.Language ?? SharedLanguage(items),
            [new JsonFeedAuthor(Text.Clean(SiteName), null)],
            Hub is { } hub ? [new JsonFeedHub("WebSub", hub.AbsoluteUri)] : null,
            [.. items.Select(item => new JsonFeedItem(
                item.Id,
                item.Url.AbsoluteUri,
                Text.Clean(item.Title),
                Text.Clean(item.ContentHtml),
                item.Published,
                item.Updated,
                item.Language,
                item.Authors.Count > 0 ? [.. item.Authors.Select(a => new JsonFeedAuthor(Text.Clean(a.Name), a.Url?.AbsoluteUri))] : null,
                item.Categories.Count > 0 ? [.. item.Categories.Select(Text.Clean)] : null))]);
        return JsonSerializer.SerializeToUtf8Bytes(feed, JsonFeedOptions);
    }

    private DateTimeOffset LastUpdated(IReadOnlyList<FeedItem> items) => items.Count > 0 ? items.Max(i => i.Updated) : clock.GetUtcNow();

    /// <summary>The language every item shares, for the feed as a whole; null when they differ.</summary>
    private static string? SharedLanguage(IReadOnlyList<FeedItem> items)
        => items.Select(i => i.Language).Distinct(StringComparer.OrdinalIgnoreCase).Count() == 1 ? items[0].Language : null;

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private sealed record FeedRow(
        int Id, long SortKey, string Title, string Slug, string? Dateline, string? BodyHtml, string? Body, string Language,
        DateTime? PublishAtUtc, DateTime CreatedAtUtc, DateTime UpdatedAtUtc, string? License);

    private sealed record JsonFeed(
        string Version,
        string Title,
        string HomePageUrl,
        string FeedUrl,
        string Description,
        string? Language,
        IReadOnlyList<JsonFeedAuthor> Authors,
        IReadOnlyList<JsonFeedHub>? Hubs,
        IReadOnlyList<JsonFeedItem> Items);

    private sealed record JsonFeedItem(
        string Id,
        string Url,
        string Title,
        string ContentHtml,
        DateTimeOffset DatePublished,
        DateTimeOffset DateModified,
        string Language,
        IReadOnlyList<JsonFeedAuthor>? Authors,
        IReadOnlyList<string>? Tags);

    private sealed record JsonFeedAuthor(string Name, string? Url);

    private sealed record JsonFeedHub(string Type, string Url);
}
