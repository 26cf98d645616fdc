using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;

namespace NewsPortal.Tests.Admin;

/// <summary>Every route under /admin, found from the app's own endpoints so a new page cannot slip through unprotected.</summary>
public sealed class AdminAccessTests(EditorialFactory factory) : IClassFixture<EditorialFactory>
{
    private static readonly string[] AdminOnly = ["/admin/users", "/admin/audit", "/admin/webhooks"];

    private List<string> AdminUrls()
    {
        _ = factory.Server;
        var urls = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText ?? "")
            .Where(t => t.StartsWith("/admin", StringComparison.Ordinal) || t.StartsWith("admin", StringComparison.Ordinal))
            .Select(t => "/" + t.TrimStart('/')
                .Replace("{id:int?}", "1", StringComparison.Ordinal)
                .Replace("{id:int}", "1", StringComparison.Ordinal)
                .Replace("{kind:regex(^(categories|sources|threads)$)}", "threads", StringComparison.Ordinal))
            .Distinct()
            .ToList();
        Assert.All(urls, u => Assert.DoesNotContain("{", u));
        return urls;
    }

    [Fact]
    public void AdminArea_HasTheExpectedPages()
    {
        Assert.Superset(
            new HashSet<string> { "/admin", "/admin/articles/edit/1", "/admin/articles/1/revisions", "/admin/import", "/admin/threads", "/admin/users", "/admin/audit", "/admin/webhooks" },
            AdminUrls().ToHashSet());
    }

    [Fact]
    public async Task EveryAdminRoute_SendsAnonymousReadersToSignIn()
    {
        var client = factory.CreatePlainClient();
        foreach (var url in AdminUrls())
        {
            using var get = await client.GetAsync(url);
            using var post = await client.PostAsync(url, new FormUrlEncodedContent([]));

            Assert.True(get.StatusCode == HttpStatusCode.Redirect, $"GET {url} answered {get.StatusCode}");
            Assert.StartsWith("/account/login", get.Headers.Location!.OriginalString, StringComparison.Ordinal);
            Assert.True(post.StatusCode == HttpStatusCode.Redirect, $"POST {url} answered {post.StatusCode}");
        }
    }

    [Fact]
    public async Task EveryAdminRoute_RefusesSignedInUsersWithoutARole()
    {
        var client = await factory.SignedInClientAsync(role: null);
        foreach (var url in AdminUrls())
        {
            using var get = await client.GetAsync(url);
            using var post = await client.PostAsync(url, new FormUrlEncodedContent([]));

            Assert.True(get.StatusCode == HttpStatusCode.Forbidden, $"GET {url} answered {get.StatusCode}");
            Assert.True(post.StatusCode == HttpStatusCode.Forbidden, $"POST {url} answered {post.StatusCode}");
        }
    }

    [Fact]
    public async Task Editors_ReachTheEditorialPages_ButNotUsersTheAuditLogOrWebhooks()
    {
        var client = await factory.SignedInClientAsync(Roles.Editor);
        foreach (var url in AdminUrls().Where(u => !u.Contains("/1", StringComparison.Ordinal)))
        {
            using var response = await client.GetAsync(url);
            var expected = AdminOnly.Contains(url) ? HttpStatusCode.Forbidden : HttpStatusCode.OK;
            Assert.True(response.StatusCode == expected, $"GET {url} answered {response.StatusCode}, expected {expected}");
        }
    }

    [Fact]
    public async Task Admins_ReachEveryPage()
    {
        var client = await factory.SignedInClientAsync(Roles.Admin);
        foreach (var url in new[] { "/admin", "/admin/articles/edit", "/admin/import", "/admin/categories", "/admin/sources", "/admin/threads", "/admin/users", "/admin/audit", "/admin/webhooks" })
        {
            using var response = await client.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url} answered {response.StatusCode}");
        }
    }

    [Fact]
    public async Task AdminForm_PostedWithoutItsAntiforgeryToken_IsRefused()
    {
        var client = await factory.SignedInClientAsync(Roles.Editor);

        using var response = await client.PostAsync("/admin/articles/edit", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Form.Title"] = "Forged",
            ["Form.Body"] = "Forged body.",
            ["Form.PublishedOn"] = "2026-03-01",
            ["Form.Language"] = "en",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
