using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Api;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;

namespace NewsPortal.Tests.Admin;

/// <summary>
/// Access control read from the app's own route table rather than a list kept by hand, so a new admin page,
/// handler or API write cannot slip in unprotected.
/// </summary>
public sealed partial class EveryProtectedRouteTests(EditorialFactory factory) : IClassFixture<EditorialFactory>
{
    private static readonly string[] AdminOnlyPages = ["/admin/users", "/admin/audit", "/admin/webhooks"];

    [Fact]
    public async Task EveryAdminPageAndHandler_SendsAnonymousToSignIn_AndRefusesSignedInNonEditors()
    {
        var anonymous = factory.CreatePlainClient();
        var reader = await factory.SignedInClientAsync(role: null);
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var checkedRequests = 0;

        foreach (var (method, url) in AdminRequests())
        {
            using var asAnonymous = await anonymous.SendAsync(new HttpRequestMessage(method, url));
            using var asReader = await reader.SendAsync(new HttpRequestMessage(method, url));

            Assert.True(asAnonymous.StatusCode == HttpStatusCode.Redirect && asAnonymous.Headers.Location!.OriginalString.Contains("/account/login", StringComparison.Ordinal),
                $"anonymous {method} {url} answered {asAnonymous.StatusCode}");
            Assert.True(asReader.StatusCode == HttpStatusCode.Forbidden, $"a signed-in non-editor's {method} {url} answered {asReader.StatusCode}");
            if (AdminOnlyPages.Any(p => url.StartsWith(p, StringComparison.Ordinal)))
            {
                using var asEditor = await editor.SendAsync(new HttpRequestMessage(method, url));
                Assert.True(asEditor.StatusCode == HttpStatusCode.Forbidden, $"an editor's {method} {url} answered {asEditor.StatusCode}");
            }

            checkedRequests++;
        }

        // The admin area has more than a dozen pages, each with GET and POST and its named handlers.
        Assert.True(checkedRequests > 30, $"only {checkedRequests} admin requests found");
    }

    [Fact]
    public async Task EveryApiWrite_Answers401WithoutAToken_EvenWithACookie_And403ToANonEditorsToken()
    {
        var anonymous = factory.CreatePlainClient();
        var cookie = await factory.SignedInClientAsync(Roles.Editor);
        var readerToken = await factory.TokenClientAsync(role: null);
        var writes = Routes()
            .Where(r => r.Pattern.StartsWith("/api/", StringComparison.Ordinal) && r.Method != HttpMethods.Get && r.Method != HttpMethods.Head)
            .ToList();

        foreach (var (method, pattern) in writes)
        {
            var url = Concrete(pattern);
            using var asAnonymous = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
            using var asCookie = await cookie.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
            using var asReader = await readerToken.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

            Assert.True(asAnonymous.StatusCode == HttpStatusCode.Unauthorized, $"anonymous {method} {url} answered {asAnonymous.StatusCode}");
            Assert.True(asCookie.StatusCode == HttpStatusCode.Unauthorized, $"a cookie's {method} {url} answered {asCookie.StatusCode}");
            Assert.True(asReader.StatusCode == HttpStatusCode.Forbidden, $"a non-editor's token {method} {url} answered {asReader.StatusCode}");
        }

        Assert.True(writes.Count >= 6, $"only {writes.Count} API writes found");
    }

    /// <summary>Every admin page with GET and POST, and POST for each handler its page model declares.</summary>
    private IEnumerable<(HttpMethod Method, string Url)> AdminRequests()
    {
        var pages = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && raw.TrimStart('/').StartsWith("admin", StringComparison.Ordinal))
            .Select(e => (Url: Concrete("/" + e.RoutePattern.RawText!.TrimStart('/')), Page: e.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.RazorPages.PageActionDescriptor>()))
            .DistinctBy(p => p.Url);
        foreach (var (url, page) in pages)
        {
            yield return (HttpMethod.Get, url);
            yield return (HttpMethod.Post, url);
            foreach (var handler in HandlersOf(page?.ViewEnginePath))
            {
                yield return (HttpMethod.Post, $"{url}?handler={handler}");
            }
        }
    }

    private static IEnumerable<string> HandlersOf(string? viewEnginePath)
    {
        if (viewEnginePath is null)
        {
            return [];
        }

        var typeName = "NewsPortal.Web" + viewEnginePath.Replace('/', '.') + "Model";
        var model = typeof(Program).Assembly.GetTypes().FirstOrDefault(t => typeof(PageModel).IsAssignableFrom(t) && t.FullName == typeName);
        return model is null ? [] : model.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Select(m => Handler().Match(m.Name)).Where(m => m.Success).Select(m => m.Groups[1].Value).Distinct();
    }

    private IEnumerable<(string Method, string Pattern)> Routes()
        => factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (m, "/" + e.RoutePattern.RawText!.TrimStart('/'))));

    /// <summary>A URL for a route pattern, with a plausible value for each parameter.</summary>
    private static string Concrete(string pattern) => Parameter().Replace(pattern, m => m.Groups[1].Value switch
    {
        "kind" => "categories",
        "slug" => "no-such-story",
        "format" => "atom",
        _ => "1",
    });

    [GeneratedRegex(@"\{(\w+)[^}]*\}")]
    private static partial Regex Parameter();

    [GeneratedRegex(@"^OnPost(\w+?)(Async)?$")]
    private static partial Regex Handler();
}
