using System.Net;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;

namespace NewsPortal.Tests.Admin;

/// <summary>A draft's signed preview link shows it on its real page, to whoever has the link, for a week.</summary>
public sealed class PreviewLinkTests(EditorialFactory factory) : IClassFixture<EditorialFactory>
{
    private static async Task<(string EditUrl, string Slug)> DraftAsync(HttpClient editor, string title)
    {
        using var response = await editor.SubmitFormAsync("/admin/articles/edit", new Dictionary<string, string?>
        {
            ["Form.Title"] = title,
            ["Form.Body"] = "Engineers checked the span overnight.",
            ["Form.PublishedOn"] = "2026-03-01",
            ["Form.Language"] = "en",
            ["Form.Sources"] = "Reuters",
            ["Form.Status"] = "Draft",
        }, "#article-form");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return (response.Headers.Location!.OriginalString, NewsPortal.Web.Shared.Slug.From(title));
    }

    [Fact]
    public async Task DraftPreviewLink_ShowsTheRealPage_ToAnyoneWithIt_UncachedAndUnindexed()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var (editUrl, slug) = await DraftAsync(editor, "Bridge reopens to traffic");
        var link = (await editor.GetDocumentAsync(editUrl)).QuerySelector(".preview-link")!.GetAttribute("href")!;
        var reader = factory.CreatePlainClient();

        using var previewed = await reader.GetAsync(link);
        var page = await previewed.ReadDocumentAsync();
        using var plain = await reader.GetAsync($"/articles/{slug}");
        using var tampered = await reader.GetAsync(link[..^3] + "abc");

        Assert.StartsWith($"/articles/{slug}?preview=", link, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, previewed.StatusCode);
        Assert.Equal("Bridge reopens to traffic", page.TextOf("h1"));
        Assert.Contains("Reported by Reuters", page.TextOf(".attribution").Normalized());
        Assert.Contains("not public", page.TextOf(".preview-banner"));
        Assert.Contains("no-store", previewed.Headers.CacheControl!.ToString());
        Assert.Equal("noindex, nofollow", previewed.Headers.GetValues("X-Robots-Tag").Single());
        Assert.Equal(HttpStatusCode.NotFound, plain.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, tampered.StatusCode);
    }

    [Fact]
    public async Task PreviewLink_OpensOnlyItsOwnStory_AndExpiresAfterAWeek()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var (firstEdit, _) = await DraftAsync(editor, "Ferry timetable changes");
        var (_, otherSlug) = await DraftAsync(editor, "Tram line extended");
        var link = (await editor.GetDocumentAsync(firstEdit)).QuerySelector(".preview-link")!.GetAttribute("href")!;
        var token = link[(link.IndexOf("preview=", StringComparison.Ordinal) + 8)..];
        var reader = factory.CreatePlainClient();

        using var other = await reader.GetAsync($"/articles/{otherSlug}?preview={token}");
        factory.Clock.Advance(TimeSpan.FromDays(8));
        using var expired = await reader.GetAsync(link);

        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, expired.StatusCode);
    }
}
