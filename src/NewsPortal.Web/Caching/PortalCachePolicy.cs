using System.Collections.Frozen;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace NewsPortal.Web.Caching;

/// <summary>
/// What the output cache keeps: what every reader sees alike. GET and HEAD answers of 200 to anonymous requests
/// (no sign-in cookie, no Authorization header), outside the editors' area, sign-in and error pages, that set no
/// cookie. Keyed by path, query (less the trackers that shared links carry) and the compression the client accepts; tagged <see cref="CacheTags.All"/> plus
/// whatever the page adds (<see cref="ResponseCacheTags"/>).
/// </summary>
public sealed class PortalCachePolicy(
    IOptions<CacheOptions> options, CacheGeneration generation, TimeProvider clock, IOptionsMonitor<CookieAuthenticationOptions> cookies) : IOutputCachePolicy
{
    private const string GenerationKey = "NewsPortal.CacheGeneration";
    private const string RenderAloneKey = "NewsPortal.RenderAlone";

    /// <summary>
    /// Has the request render its page itself, still storing what it renders, rather than wait on another reader's
    /// render of the same page: for a reader whose wait ended with that render cancelled.
    /// </summary>
    public static void RenderAlone(HttpContext context) => context.Items[RenderAloneKey] = true;

    /// <summary>
    /// The sign-in cookie's name. The cache answers before authentication runs (a copy served costs no more than
    /// that), so a request carrying the cookie at all, valid or not, is rendered for its sender and never stored.
    /// </summary>
    private readonly string _signInCookie = cookies.Get(IdentityConstants.ApplicationScheme).Cookie.Name
        ?? throw new InvalidOperationException("The sign-in cookie has no name.");

    ValueTask IOutputCachePolicy.CacheRequestAsync(OutputCacheContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var request = http.Request;
        var cacheable = options.Value.Enabled
            && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            && StringValues.IsNullOrEmpty(request.Headers.Authorization)
            && !request.Cookies.ContainsKey(_signInCookie)
            && !request.Path.StartsWithSegments("/admin")
            && !request.Path.StartsWithSegments("/account")
            && !request.Path.StartsWithSegments("/error")
            && !request.Path.StartsWithSegments("/health")
            && !request.Query.ContainsKey("preview")
            && (request.Query.Count == 0 || request.Query.Keys.All(key => IsReadKey(key) || IsTracking(key)))
            && http.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.StaticAssets.StaticAssetDescriptor>() is null;
        context.EnableOutputCaching = cacheable;
        context.AllowCacheLookup = cacheable;
        context.AllowCacheStorage = cacheable;
        context.AllowLocking = !http.Items.ContainsKey(RenderAloneKey);
        context.ResponseExpirationTimeSpan = TimeSpan.FromSeconds(options.Value.DurationSeconds);
        context.CacheVaryByRules.QueryKeys = VaryingQueryKeys(request.Query);
        // Responses are cached compressed, so each encoding a client may accept is its own entry.
        context.CacheVaryByRules.VaryByValues["encoding"] = Encoding(request.Headers.AcceptEncoding);
        // What depends on the clock alone ("3 days ago", the news sitemap's two days) is kept no longer than one
        // period; keying by the period also lets a test's clock, moved on, reach a fresh copy.
        context.CacheVaryByRules.VaryByValues["period"] = (clock.GetUtcNow().UtcTicks / TimeSpan.FromSeconds(options.Value.DurationSeconds).Ticks)
            .ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Tags.Add(CacheTags.All);
        http.Items[GenerationKey] = generation.Value;
        return ValueTask.CompletedTask;
    }

    ValueTask IOutputCachePolicy.ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    ValueTask IOutputCachePolicy.ServeResponseAsync(OutputCacheContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        if (http.Response.StatusCode != StatusCodes.Status200OK
            || !StringValues.IsNullOrEmpty(http.Response.Headers.SetCookie)
            || http.User.Identity?.IsAuthenticated == true
            // Something was evicted while this was rendered: it may show what the eviction replaced.
            || http.Items[GenerationKey] is not long started || started != generation.Value)
        {
            context.AllowCacheStorage = false;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Query keys that links from social sites, newsletters and ads add to a story's address. No page reads them, and
    /// a click id is new on every click, so a cache keyed by them would miss on every reader a shared story brings.
    /// </summary>
    private static readonly FrozenSet<string> TrackingKeys = FrozenSet.ToFrozenSet(
        ["fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid", "igshid", "li_fat_id", "mc_cid", "mc_eid", "_ga", "_gl"],
        StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Every query key a public page, feed or API read looks at. An address with any other key (trackers aside) is
    /// rendered and not kept: the key changes nothing a reader sees, and a copy per made-up key would let one client
    /// fill the cache with copies no reader asks for and push out the ones they do.
    /// </summary>
    private static readonly FrozenSet<string> ReadKeys = FrozenSet.ToFrozenSet(
        ["q", "page", "sort", "from", "to", "source", "category", "lang", "language", "status", "cursor", "limit", "before", "after", "letter"],
        StringComparer.OrdinalIgnoreCase);

    private static bool IsTracking(string key) => TrackingKeys.Contains(key) || key.StartsWith("utm_", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether some public page, feed or API read looks at this query key.</summary>
    public static bool IsReadKey(string key) => ReadKeys.Contains(key);

    /// <summary>The query keys a cached copy is keyed by: all of them but the trackers' (and any <c>utm_</c> key).</summary>
    public static StringValues VaryingQueryKeys(IQueryCollection query)
    {
        if (query.Count == 0)
        {
            return StringValues.Empty;
        }

        if (!query.Keys.Any(IsTracking))
        {
            return "*";
        }

        // Named as the cache names every key for "*" (upper case, in order), so an address with trackers shares the
        // copy of the same address without them; none left keys the copy by the path alone.
        return new StringValues([.. query.Keys.Where(key => !IsTracking(key)).Order(StringComparer.OrdinalIgnoreCase).Select(key => key.ToUpperInvariant())]);
    }

    /// <summary>
    /// The encoding response compression will choose for this Accept-Encoding: the accepted one of br and gzip with
    /// the higher quality (br on a tie, as it is registered first), else none.
    /// </summary>
    public static string Encoding(StringValues acceptEncoding)
    {
        if (!StringWithQualityHeaderValue.TryParseList(acceptEncoding, out var values))
        {
            return "identity";
        }

        double Quality(string name) => values
            .Where(v => v.Value.Equals(name, StringComparison.OrdinalIgnoreCase) || v.Value.Equals("*", StringComparison.Ordinal))
            .Select(v => v.Quality ?? 1).DefaultIfEmpty(0).Max();
        var (br, gzip) = (Quality("br"), Quality("gzip"));
        return br > 0 && br >= gzip ? "br" : gzip > 0 ? "gzip" : "identity";
    }
}

/// <summary>How pages and endpoints add the tags of what they show to the response the cache keeps.</summary>
public static class ResponseCacheTags
{
    public static HttpContext TagResponse(this HttpContext context, IEnumerable<string> tags)
    {
        if (context.Features.Get<IOutputCacheFeature>() is { } feature)
        {
            foreach (var tag in tags)
            {
                feature.Context.Tags.Add(tag);
            }
        }

        return context;
    }

    public static HttpContext TagResponse(this HttpContext context, params string[] tags) => TagResponse(context, (IEnumerable<string>)tags);
}
