using Microsoft.Extensions.Options;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Caching;
using NewsPortal.Web.Categories;
using NewsPortal.Web.Languages;
using NewsPortal.Web.Search;
using NewsPortal.Web.Shared;
using NewsPortal.Web.Sources;

namespace NewsPortal.Web.Feeds;

/// <summary>
/// A feed beside each listing, in every format: <c>/feed.atom</c>, <c>/categories/{slug}/feed.rss</c>,
/// <c>/sources/{slug}/feed.json</c>, <c>/languages/{tag}/feed.atom</c>, <c>/threads/{slug}/feed.atom</c>. An unknown format, name or language answers 404;
/// the old address of a renamed or merged category or source redirects, as its page does.
/// </summary>
public static class FeedEndpoints
{
    public static IEndpointRouteBuilder MapFeeds(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/feed.{format}", ([AsParameters] FeedRequest feed)
            => feed.RespondAsync("/", null, feed.Portal.Value.Description, Listing.All));

        endpoints.MapGet("/categories/{slug}/feed.{format}", async (string slug, [AsParameters] FeedRequest feed, CategoryService categories) =>
        {
            if (await categories.GetBySlugAsync(slug, feed.CancellationToken) is { } category)
            {
                return await feed.RespondAsync($"/categories/{category.Slug}", category.Name, $"The newest stories in {category.Name}.",
                    Listing.InCategory(category.Id));
            }

            return feed.RedirectOrNotFound("/categories", await categories.RedirectForAsync(slug, feed.CancellationToken));
        });

        endpoints.MapGet("/sources/{slug}/feed.{format}", async (string slug, [AsParameters] FeedRequest feed, SourceService sources) =>
        {
            if (await sources.GetBySlugAsync(slug, feed.CancellationToken) is { } source)
            {
                return await feed.RespondAsync($"/sources/{source.Slug}", source.Name, $"The newest stories from {source.Name}.",
                    Listing.FromSource(source.Id));
            }

            return feed.RedirectOrNotFound("/sources", await sources.RedirectForAsync(slug, feed.CancellationToken));
        });

        endpoints.MapGet("/threads/{slug}/feed.{format}", async (string slug, [AsParameters] FeedRequest feed, Threads.ThreadService threads) =>
        {
            if (await threads.GetBySlugAsync(slug, feed.CancellationToken) is { } thread)
            {
                return await feed.RespondAsync($"/threads/{thread.Slug}", thread.Name, $"The newest stories on {thread.Name}.", Listing.InThread(thread.Id));
            }

            return feed.RedirectOrNotFound("/threads", await threads.RedirectForAsync(slug, feed.CancellationToken));
        });

        endpoints.MapGet("/languages/{tag}/feed.{format}", async (string tag, [AsParameters] FeedRequest feed, LanguageService languages) =>
            await languages.GetAsync(tag, feed.CancellationToken) is { } language
                ? await feed.RespondAsync($"/languages/{language.Tag}", language.Name, $"The newest stories in {language.Name}.",
                    Listing.InLanguage(language.Tag), language.Tag)
                : Results.NotFound());

        // A feed of a search: the best matches, newest first, so a reader can follow a story or a name.
        endpoints.MapGet("/search/feed.{format}", async (string? q, [AsParameters] FeedRequest feed, SearchService search, IOptions<FeedOptions> options) =>
        {
            var query = SearchQuery.Parse(q);
            if (query.Terms.Count == 0 && !query.HasFilters)
            {
                return Results.Text("Give a search to follow, such as /search/feed.atom?q=ceasefire.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
            }

            var (ids, stopped) = await search.WithinTimeLimitAsync(budget => search.MatchingIdsAsync(query, options.Value.ItemCount, budget), query, feed.CancellationToken);
            if (stopped)
            {
                return Results.Text(search.StoppedDetail, "text/plain; charset=utf-8", statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            feed.Request.HttpContext.TagResponse(CacheTags.Search);
            return await feed.RespondAsync($"/search?q={Uri.EscapeDataString(query.Text)}", $"Search: {query.Text}", $"The newest stories matching {query.Text}.",
                baseUrl => feed.Feeds.ForIdsAsync(baseUrl, ids!, feed.CancellationToken));
        });

        return endpoints;
    }

    /// <summary>What every feed endpoint takes: the format from the address, the request (for absolute links) and the services.</summary>
    private sealed record FeedRequest(string Format, HttpRequest Request, FeedService Feeds, IOptions<PortalOptions> Portal, CancellationToken CancellationToken)
    {
        public Task<IResult> RespondAsync(string listingPath, string? subject, string description, Listing listing, string? language = null)
        {
            Request.HttpContext.TagResponse(listing.CacheTag);
            return RespondAsync(listingPath, subject, description, baseUrl => Feeds.LatestAsync(baseUrl, listing, CancellationToken), language);
        }

        public async Task<IResult> RespondAsync(
            string listingPath, string? subject, string description, Func<Uri, Task<IReadOnlyList<FeedItem>>> items, string? language = null)
        {
            if (!FeedFormats.TryParse(Format, out var format))
            {
                return Results.NotFound();
            }

            var baseUrl = Request.BaseUrl();
            var channel = new FeedChannel(
                FeedChannel.TitleFor(Portal.Value.SiteName, subject), description,
                baseUrl.Absolute(listingPath), baseUrl.Absolute(FeedFormats.PathFor(listingPath, format)), language);
            var entries = await items(baseUrl);
            Request.HttpContext.TagResponse(entries.SelectMany(e => e.CacheTags));
            return Feeds.Result(format, channel, entries);
        }

        public IResult RedirectOrNotFound(string listingFolder, string? targetSlug)
            => targetSlug is not null && FeedFormats.TryParse(Format, out var format)
                ? Results.Redirect(FeedFormats.PathFor($"{listingFolder}/{Slug.InPath(targetSlug)}", format), permanent: true)
                : Results.NotFound();
    }
}
