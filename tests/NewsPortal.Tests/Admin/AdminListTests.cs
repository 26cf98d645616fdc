using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Api;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;
using NewsPortal.Web.Admin;

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
        var byWordsToo = await editor.GetDocumentAsync("/admin?thread=rotterdam-port-strike&q=strike");
        using var delete = await BulkAsync(editor, "Delete", [two]);
        using var third = await factory.CreateClient().GetAsync($"/articles/{Slug("Port strike day three")}");
        using var deleted = await factory.CreateClient().GetAsync($"/articles/{Slug("Port strike day two")}");

        Assert.Equal("/admin?q=Port%20strike", publish.Headers.Location!.OriginalString);
        Assert.Equal("Published 2 stories.", message);
        Assert.Equal(["Port strike day two", "Port strike day one"], threadPage.TextsOf(".headlines h2"));
        Assert.Equal(["Port strike day two", "Port strike day one"], filtered.TextsOf(".admin-table tbody td:nth-child(2) a"));
        Assert.Equal(["Port strike day two", "Port strike day one"], byWordsToo.TextsOf(".admin-table tbody td:nth-child(2) a"));
        Assert.Equal([$"/articles/{Slug("Port strike day two")}", $"/articles/{Slug("Port strike day one")}"],
            filtered.QuerySelectorAll(".admin-table a").Select(a => a.GetAttribute("href")).Where(h => h!.StartsWith("/articles/", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.NotFound, third.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, deleted.StatusCode);
    }

    [Fact]
    public async Task Bulk_OnAStoryDeletedSinceTheListWasRead_SaysItHadBeenDeleted()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var kept = await CreateAsync(editor, "Port strike talks");
        var gone = await CreateAsync(editor, "Port strike picket");
        using var elsewhere = await editor.SubmitFormAsync($"/admin/articles/edit/{gone}", new Dictionary<string, string?>(), "form[action*='handler=Delete']");

        using var delete = await BulkAsync(editor, "Delete", [kept, gone]);
        var deleteMessage = (await editor.GetDocumentAsync(delete.Headers.Location!.OriginalString)).TextOf(".notice");
        using var publish = await BulkAsync(editor, "Publish", [gone]);
        var publishMessage = (await editor.GetDocumentAsync(publish.Headers.Location!.OriginalString)).TextOf(".notice");

        Assert.Equal(HttpStatusCode.Redirect, elsewhere.StatusCode);
        Assert.Equal("Deleted 1 story. “Port strike picket” had already been deleted.", deleteMessage);
        Assert.Equal("Published 0 stories. “Port strike picket” was left as it was: it has been deleted.", publishMessage);
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
    public async Task WordsMatchingMoreStoriesThanTheListLooksThrough_SayOlderMatchesAreLeftOut_AndACategorySourceLanguageOrDaysReachThem()
    {
        using var folder = new TempFolder();
        string Story(int i) => $$"""{"title":"Quokka count {{i}}","publishedOn":"2025-06-02","body":"Rangers counted quokkas."}""";
        var asMany = folder.Write("quokkas.jsonl", string.Join('\n', Enumerable.Range(1, ArticleAdminService.MaxTextMatches).Select(Story)));
        var oneMore = folder.Write("one-more-quokka.jsonl", """
            {"title":"The first quokka count","publishedOn":"2019-03-04","body":"Rangers counted quokkas for the first time.","categories":["Marsupial desk"],"sources":["Marsupial Wire"],"language":"mi"}
            """);
        var editor = await factory.SignedInClientAsync(Roles.Editor);

        Assert.Equal(ArticleAdminService.MaxTextMatches, (await factory.ImportAsync(asMany)).Imported);
        var allLooked = await editor.GetDocumentAsync("/admin?q=quokka");
        Assert.Equal(1, (await factory.ImportAsync(oneMore)).Imported);
        var someLeftOut = await editor.GetDocumentAsync("/admin?q=quokka");
        var inTheCategory = await editor.GetDocumentAsync("/admin?q=quokka&category=Marsupial+desk");
        var fromTheSource = await editor.GetDocumentAsync("/admin?q=quokka&source=marsupial-wire");
        var api = await factory.TokenClientAsync(Roles.Editor);
        using var inTheLanguage = await api.GetAsync("/api/v1/articles?status=all&q=quokka&language=mi");
        using var inItsYear = await api.GetAsync("/api/v1/articles?status=all&q=quokka&from=2019-01-01&to=2019-12-31");
        var allPages = await Api.ArticleApiWordsTests.PagesAsync(api, "/api/v1/articles?status=all&q=quokka&limit=100");

        Assert.Null(allLooked.QuerySelector("#older-matches-left-out"));
        Assert.Contains("the newest 500 published and the newest 500 others. Add a word, a category or a source to reach older ones.",
            someLeftOut.TextOf("#older-matches-left-out"), StringComparison.Ordinal);
        Assert.Equal(["The first quokka count"], inTheCategory.TextsOf(".admin-table td a[href^=\"/admin/articles/edit\"]"));
        Assert.Null(inTheCategory.QuerySelector("#older-matches-left-out"));
        Assert.Equal(["The first quokka count"], fromTheSource.TextsOf(".admin-table td a[href^=\"/admin/articles/edit\"]"));
        Assert.Equal(ArticleAdminService.MaxTextMatches, allPages.Sum(p => p.GetProperty("items").GetArrayLength()));
        Assert.True(allPages[^1].GetProperty("olderMatchesLeftOut").GetBoolean());
        Assert.All(allPages[..^1], p => Assert.False(p.TryGetProperty("olderMatchesLeftOut", out _)));
        foreach (var list in new[] { inTheLanguage, inItsYear })
        {
            Assert.Equal(["the-first-quokka-count"], (await list.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("items").EnumerateArray()
                .Select(a => a.GetProperty("slug").GetString()));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public async Task APageOfTheList_HoldsBetweenOneStoryAndItsMost_WhateverSizeACallerAsks(int take)
    {
        var stories = take == int.MaxValue ? ArticleAdminService.MaxTake + 1 : 3;
        for (var i = 1; i <= stories; i++)
        {
            await factory.AddArticleAsync(new ArticleBuilder().Titled($"Page size {(uint)take} story {i}").InCategory($"Page size desk {(uint)take}"));
        }

        await using var scope = factory.Services.CreateAsyncScope();
        var list = scope.ServiceProvider.GetRequiredService<ArticleAdminService>();

        var page = await list.ListAsync(new AdminArticleFilter(null, $"Page size desk {(uint)take}", null, null, OldestFirst: false, Take: take));

        Assert.Equal(take <= 0 ? 1 : Math.Min(stories, ArticleAdminService.MaxTake), page.Items.Count);
        Assert.NotNull(page.Next);
    }

    [Fact]
    public async Task Filters_TakeNamesAsTyped_NotOnlySlugs()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Harbour filter story").InCategory("Harbour news").FromSource("Port Authority Wire")
            .InThread("Harbour dredging"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Other filter story").InCategory("Inland news").FromSource("Port Authority Wire"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Inland story from another wire").InCategory("Inland news").FromSource("Inland Wire"));
        var editor = await factory.SignedInClientAsync(Roles.Editor);

        var byCategory = await editor.GetDocumentAsync("/admin?category=harbour+NEWS");
        var bySource = await editor.GetDocumentAsync("/admin?source=Port+Authority+Wire&category=inland-news");
        var byThread = await editor.GetDocumentAsync("/admin?thread=Harbour+dredging");

        string[] Titles(AngleSharp.Dom.IDocument page) => page.TextsOf(".admin-table td a[href^=\"/admin/articles/edit\"]");
        Assert.Equal(["Harbour filter story"], Titles(byCategory));
        Assert.Equal(["Other filter story"], Titles(bySource));
        Assert.Equal(["Harbour filter story"], Titles(byThread));
    }
    /// <summary>Titles on every page of a list, following its "Next" (or "Previous") links from <paramref name="url"/>.</summary>
    private static async Task<List<List<string>>> PagesAsync(HttpClient editor, string url, string rel)
    {
        var pages = new List<List<string>>();
        for (string? next = url; next is not null && pages.Count < 10;)
        {
            var page = await editor.GetDocumentAsync(next);
            pages.Add([.. page.TextsOf(".admin-table td a[href^=\"/admin/articles/edit\"]")]);
            next = page.QuerySelector($".pager a[rel={rel}]")?.GetAttribute("href");
        }

        return pages;
    }

    [Fact]
    public async Task TheList_PagesBothWays_WithDraftsAmongPublishedStoriesInDateOrder_EachStoryOnce()
    {
        var start = new DateOnly(2023, 1, 1);
        var expected = new List<(DateOnly Day, string Title)>();
        for (var i = 0; i < 25; i++)
        {
            var day = start.AddDays(3 * i);
            var title = $"Desk bulletin {i:D2}";
            await factory.AddArticleAsync(new ArticleBuilder().Titled(title).PublishedOn(day.Year, day.Month, day.Day).InCategory("Paging desk").WithParagraph($"Bulletin number {i}."));
            expected.Add((day, title));
        }

        // Words with a category are that category's matches only.
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Desk bulletin from another desk").PublishedOn(2023, 1, 2).InCategory("Other desk"));

        var editor = await factory.SignedInClientAsync(Roles.Editor);
        for (var j = 0; j < 10; j++)
        {
            var day = start.AddDays((6 * j) + 1);
            var title = $"Desk draft {j:D2}";
            using var saved = await editor.SubmitFormAsync("/admin/articles/edit", new Dictionary<string, string?>
            {
                ["Form.Title"] = title,
                ["Form.Body"] = "Dockers walked out at dawn.",
                ["Form.PublishedOn"] = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                ["Form.Language"] = "en",
                ["Form.Categories"] = "Paging desk",
                ["Form.Status"] = "Draft",
            }, "#article-form");
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
            expected.Add((day, title));
        }

        var forward = await PagesAsync(editor, "/admin?category=paging-desk", "next");
        var lastPage = (await editor.GetDocumentAsync("/admin?category=paging-desk")).QuerySelector(".pager a[rel=next]")!.GetAttribute("href")!;
        var backward = await PagesAsync(editor, lastPage, "prev");
        var drafts = await PagesAsync(editor, "/admin?category=paging-desk&status=draft&sort=oldest", "next");
        var words = await PagesAsync(editor, "/admin?q=bulletin&category=paging-desk", "next");

        Assert.Equal([20, 15], forward.Select(p => p.Count));
        Assert.Equal(expected.OrderByDescending(e => e.Day).Select(e => e.Title), forward.SelectMany(p => p));
        Assert.Equal(forward.AsEnumerable().Reverse(), backward);
        Assert.Equal(expected.Where(e => e.Title.Contains("draft", StringComparison.Ordinal)).OrderBy(e => e.Day).Select(e => e.Title), Assert.Single(drafts));
        Assert.Equal(25, words.SelectMany(p => p).Count(t => t.StartsWith("Desk bulletin", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task TheListsFilters_OfferTheActiveDevelopingStories_AndAskForNamesAsTyped()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Canal dredging resumes").PublishedOn(2026, 3, 3).InThread("Canal dredging"));
        var editor = await factory.SignedInClientAsync(Roles.Editor);

        var page = await editor.GetDocumentAsync("/admin");

        Assert.Contains("Canal dredging", page.QuerySelectorAll("#thread-names option").Select(o => o.GetAttribute("value")));
        Assert.Equal("source", page.QuerySelector("input[name=source]")!.GetAttribute("data-suggest"));
        Assert.Equal("thread-names", page.QuerySelector("input[name=threadName]")!.GetAttribute("list"));
    }

    [Fact]
    public async Task TheList_FindsDraftsByAWordOfTheirText()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        await CreateAsync(editor, "Quayside notice");

        var page = await editor.GetDocumentAsync("/admin?q=dockers+dawn&status=draft");

        Assert.Contains("Quayside notice", page.TextsOf(".admin-table td a[href^=\"/admin/articles/edit\"]"));
    }

    [Fact]
    public async Task AChangedPosition_InTheListsAddress_IsA400WithAMessage()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);

        var page = await editor.GetDocumentAsync("/admin?from=not-a-position", 400);

        Assert.Contains("not a position in this listing", page.TextOf("main"));
    }
}
