using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NewsPortal.Tests.Api;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;

namespace NewsPortal.Tests.Admin;

/// <summary>
/// Developing stories are names editors look after like categories and sources: a thread imported under a passing
/// name ("Kittiwake survey") is renamed, two threads that are one story are merged, and links and imports of the
/// old name keep finding it.
/// </summary>
public sealed class ThreadAdminTests(EditorialFactory factory) : IClassFixture<EditorialFactory>, IDisposable
{
    private readonly TempFolder _input = new();

    public void Dispose() => _input.Dispose();

    [Fact]
    public async Task RenamingAThread_RenamesItOnItsStories_AndItsOldAddressFeedAndNameLeadToIt()
    {
        var story = await factory.AddArticleAsync(new ArticleBuilder().Titled("Kittiwakes return to the cliffs").PublishedOn(2026, 2, 1).InThread("Kittiwake survey"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Kittiwake nests counted").PublishedOn(2026, 2, 2).InThread("Kittiwake survey"));
        var reader = factory.CreateClient();
        var before = await reader.GetDocumentAsync($"/articles/{story}");
        var editor = await factory.SignedInClientAsync(Roles.Editor);

        using var rename = await editor.SubmitFormAsync("/admin/threads?q=kittiwake", new Dictionary<string, string?>
        {
            ["id"] = await editor.NameIdAsync("threads", "Kittiwake survey"),
            ["name"] = "Kittiwake census 2026",
        }, "form[action*='handler=Rename']");
        var after = await reader.GetDocumentAsync($"/articles/{story}");
        await factory.ImportAsync(_input.Write("late.txt", TempFolder.Snippet("Kittiwake census extended", extraHeaders: "Topics: Kittiwake survey", published: "February 3, 2026")));
        var thread = await reader.GetDocumentAsync("/threads/kittiwake-census-2026");
        using var oldPage = await factory.CreatePlainClient().GetAsync("/threads/kittiwake-survey");
        using var oldFeed = await factory.CreatePlainClient().GetAsync("/threads/kittiwake-survey/feed.atom");
        var admin = await editor.GetDocumentAsync("/admin/threads?q=kittiwake");

        Assert.Equal("Kittiwake survey", before.TextOf(".thread-kicker a"));
        Assert.Equal(HttpStatusCode.Redirect, rename.StatusCode);
        Assert.Equal("Kittiwake census 2026", after.TextOf(".thread-kicker a"));
        Assert.Contains("Kittiwake census 2026", thread.TextOf("h1"));
        Assert.Equal(["Kittiwake census extended", "Kittiwake nests counted", "Kittiwakes return to the cliffs"], thread.TextsOf(".headlines h2"));
        Assert.Equal(HttpStatusCode.MovedPermanently, oldPage.StatusCode);
        Assert.Equal("/threads/kittiwake-census-2026", oldPage.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.MovedPermanently, oldFeed.StatusCode);
        Assert.Equal("/threads/kittiwake-census-2026/feed.atom", oldFeed.Headers.Location!.OriginalString);
        Assert.Equal(["Kittiwake census 2026"], admin.TextsOf(".admin-table tbody td:first-child a"));
        Assert.Equal(["Kittiwake survey"], admin.TextsOf(".admin-table tbody td:nth-child(3)"));
    }

    [Fact]
    public async Task MergingTwoThreads_PutsEveryStoryInTheSurvivor_AndCountsThemThere()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Storm Fulmar reaches the coast").PublishedOn(2026, 1, 10).InThread("Storm Fulmar"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Storm Fulmar closes ports").PublishedOn(2026, 1, 11).InThread("Storm Fulmar"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Fulmar clean-up begins").PublishedOn(2026, 1, 12).InThread("Storm Fulmar 2026"));
        var editor = await factory.SignedInClientAsync(Roles.Editor);

        using var merge = await editor.SubmitFormAsync("/admin/threads", new Dictionary<string, string?>
        {
            ["from"] = "Storm Fulmar",
            ["into"] = "Storm Fulmar 2026",
        }, "form.merge-form");
        var api = await factory.TokenClientAsync(Roles.Editor);
        using var written = await api.PostAsJsonAsync("/api/v1/articles",
            new { title = "Fulmar ferries sail again", body = "The ports reopened.", publishedOn = "2026-01-13", language = "en", thread = "Storm Fulmar", status = "Published" });
        var thread = await factory.CreateClient().GetDocumentAsync("/threads/storm-fulmar-2026");
        var index = await factory.CreateClient().GetDocumentAsync("/threads");
        using var old = await factory.CreatePlainClient().GetAsync("/threads/storm-fulmar");
        var audit = await (await factory.SignedInClientAsync(Roles.Admin)).GetDocumentAsync("/admin/audit?action=merge");

        Assert.Equal(HttpStatusCode.Redirect, merge.StatusCode);
        Assert.Equal(HttpStatusCode.Created, written.StatusCode);
        Assert.Equal("Storm Fulmar 2026", (await written.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("thread").GetString());
        Assert.Equal(["Fulmar ferries sail again", "Fulmar clean-up begins", "Storm Fulmar closes ports", "Storm Fulmar reaches the coast"], thread.TextsOf(".headlines h2"));
        var entry = index.QuerySelectorAll(".thread-index li").Single(li => li.QuerySelector("a")!.TextContent.StartsWith("Storm Fulmar", StringComparison.Ordinal));
        Assert.Equal("Storm Fulmar 2026", entry.QuerySelector("a")!.TextContent);
        Assert.StartsWith("4 stories", entry.QuerySelector(".meta")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.MovedPermanently, old.StatusCode);
        Assert.Equal("/threads/storm-fulmar-2026", old.Headers.Location!.OriginalString);
        Assert.Contains("'Storm Fulmar' merged into 'Storm Fulmar 2026'", audit.Body!.TextContent);
    }

    [Fact]
    public async Task RenamingAThreadToAnotherThreadsName_IsAFormError()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Puffin ringing starts").InThread("Puffin ringing"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Puffin count starts").InThread("Puffin count"));
        var editor = await factory.SignedInClientAsync(Roles.Editor);

        using var rename = await editor.SubmitFormAsync("/admin/threads?q=puffin", new Dictionary<string, string?>
        {
            ["id"] = await editor.NameIdAsync("threads", "Puffin ringing"),
            ["name"] = "puffin  COUNT",
        }, "form[action*='handler=Rename']");
        var page = await rename.ReadDocumentAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, rename.StatusCode);
        Assert.Contains("Another thread is already called 'puffin COUNT'", page.TextOf(".form-errors"));
    }
}
