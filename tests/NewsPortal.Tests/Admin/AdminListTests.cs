using System.Net;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;

namespace NewsPortal.Tests.Admin;

/// <summary>The editors' list: bulk actions on ticked stories, the thread filter, links to the live story; and the way back from a public page.</summary>
public sealed class AdminListTests(EditorialFactory factory) : IClassFixture<EditorialFactory>
{
    private static async Task<string> CreateAsync(HttpClient editor, string title, string status = "Draft")
    {
        using var response = await editor.SubmitFormAsync("/admin/articles/edit", new Dictionary<string, string?>
        {
            ["Form.Title"] = title,
            ["Form.Body"] = "Dockers walked out at dawn and stayed out.",
            ["Form.PublishedOn"] = "2026-03-02",
            ["Form.Language"] = "en",
            ["Form.Status"] = status,
        }, "#article-form");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!.OriginalString.Split('/')[^1];
    }

    private static Task<HttpResponseMessage> BulkAsync(HttpClient editor, string action, IEnumerable<string> ids, string? thread = null)
    {
        var changes = new Dictionary<string, string?> { ["bulk"] = action, ["threadName"] = thread };
        return editor.SubmitFormAsync("/admin?q=Port+strike", changes, "#bulk-form", formFields: ids.Select(id => new KeyValuePair<string, string>("ids", id)));
    }

    private static string Slug(string title) => NewsPortal.Web.Shared.Slug.From(title);

    [Fact]
    public async Task Bulk_PublishesSetsTheThreadAndDeletes_TheTickedStoriesOnly()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var one = await CreateAsync(editor, "Port strike day one");
        var two = await CreateAsync(editor, "Port strike day two");
        await CreateAsync(editor, "Port strike day three");

        using var publish = await BulkAsync(editor, "Publish", [one, two]);
        var message = (await editor.GetDocumentAsync(publish.Headers.Location!.OriginalString)).TextOf(".notice");
        using var thread = await BulkAsync(editor, "SetThread", [one, two], "Rotterdam port strike");
        var threadPage = await factory.CreateClient().GetDocumentAsync("/threads/rotterdam-port-strike");
        var filtered = await editor.GetDocumentAsync("/admin?thread=rotterdam-port-strike");
        using var delete = await BulkAsync(editor, "Delete", [two]);
        using var third = await factory.CreateClient().GetAsync($"/articles/{Slug("Port strike day three")}");
        using var deleted = await factory.CreateClient().GetAsync($"/articles/{Slug("Port strike day two")}");

        Assert.Equal("/admin?q=Port%20strike", publish.Headers.Location!.OriginalString);
        Assert.Equal("Published 2 stories.", message);
        Assert.Equal(["Port strike day two", "Port strike day one"], threadPage.TextsOf(".headlines h2"));
        Assert.Equal(["Port strike day two", "Port strike day one"], filtered.TextsOf(".admin-table tbody td:nth-child(2) a"));
        Assert.Equal([$"/articles/{Slug("Port strike day two")}", $"/articles/{Slug("Port strike day one")}"],
            filtered.QuerySelectorAll(".admin-table a").Select(a => a.GetAttribute("href")).Where(h => h!.StartsWith("/articles/", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.NotFound, third.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, deleted.StatusCode);
    }

    [Fact]
    public async Task Bulk_WithNothingTickedOrAnUnknownAction_ChangesNothingAndSaysSo()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        await CreateAsync(editor, "Port strike untouched");

        using var none = await BulkAsync(editor, "Publish", []);
        var message = (await editor.GetDocumentAsync(none.Headers.Location!.OriginalString)).TextOf(".notice");
        using var unknown = await BulkAsync(editor, "Explode", []);

        Assert.Equal("Tick the stories to change first.", message);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("Choose what to do", await unknown.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ArticlePage_OffersEditOnlyToEditors_AndTheEditorCountsWords()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var id = await CreateAsync(editor, "Port strike ends", "Published");

        var asReader = await factory.CreateClient().GetDocumentAsync($"/articles/{Slug("Port strike ends")}");
        var asEditor = await editor.GetDocumentAsync($"/articles/{Slug("Port strike ends")}");
        var editPage = await editor.GetDocumentAsync($"/admin/articles/edit/{id}");

        Assert.Null(asReader.QuerySelector(".editor-tools"));
        Assert.Equal($"/admin/articles/edit/{id}", asEditor.QuerySelector(".editor-tools a")!.GetAttribute("href"));
        Assert.Equal("8 words", editPage.TextOf("#word-count"));
    }

    [Fact]
    public async Task Filters_TakeNamesAsTyped_NotOnlySlugs()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Harbour filter story").InCategory("Harbour news").FromSource("Port Authority Wire")
            .InThread("Harbour dredging"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Other filter story").InCategory("Inland news").FromSource("Port Authority Wire"));
        var editor = await factory.SignedInClientAsync(Roles.Editor);

        var byCategory = await editor.GetDocumentAsync("/admin?category=harbour+NEWS");
        var bySource = await editor.GetDocumentAsync("/admin?source=Port+Authority+Wire&category=inland-news");
        var byThread = await editor.GetDocumentAsync("/admin?thread=Harbour+dredging");

        string[] Titles(AngleSharp.Dom.IDocument page) => page.TextsOf(".admin-table td a[href^=\"/admin/articles/edit\"]");
        Assert.Equal(["Harbour filter story"], Titles(byCategory));
        Assert.Equal(["Other filter story"], Titles(bySource));
        Assert.Equal(["Harbour filter story"], Titles(byThread));
    }
}
