using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NewsPortal.Tests.Api;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;

namespace NewsPortal.Tests.Caching;

/// <summary>
/// The output cache on, as in production. Sixty newer stories fill the home page and the site's feed, so a story
/// further back is on its category's page but on neither of those: a change to it must evict the first and keep the
/// others.
/// </summary>
public sealed class CacheFixture : EditorialFactory, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        for (var i = 0; i < 60; i++)
        {
            await AddArticleAsync(new ArticleBuilder().Titled($"Filler story {i}").PublishedOn(2026, 2, 20).InCategory("Filler").FromSource("Filler Wire"));
        }
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
}

/// <summary>
/// Every write evicts, before it returns, exactly the cached pages that show what it changed: the story's page, the
/// listings and feeds it is in, its neighbours; pages that do not show it keep their cached copy. A cached response
/// carries an Age header; one just rendered does not.
/// </summary>
public sealed class CacheEvictionTests(CacheFixture factory) : IClassFixture<CacheFixture>
{
    private readonly HttpClient _reader = factory.CreatePlainClient();

    private sealed record Fetched(HttpStatusCode Status, string Body, bool FromCache);

    private async Task<Fetched> FetchAsync(string url)
    {
        using var response = await _reader.GetAsync(url);
        return new Fetched(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Age is not null);
    }

    /// <summary>Reads each page twice, so it is in the cache, and checks that it is.</summary>
    private async Task WarmAsync(params string[] urls)
    {
        foreach (var url in urls)
        {
            await FetchAsync(url);
            Assert.True((await FetchAsync(url)).FromCache, $"{url} was not cached");
        }
    }

    private async Task AssertStillCachedAsync(params string[] urls)
    {
        foreach (var url in urls)
        {
            Assert.True((await FetchAsync(url)).FromCache, $"{url} lost its cached copy, though it does not show what changed");
        }
    }

    private async Task<Fetched> AssertFreshAsync(string url)
    {
        var fetched = await FetchAsync(url);
        Assert.False(fetched.FromCache, $"{url} was served from the cache after a change it shows");
        return fetched;
    }

    /// <summary>Two stories in categories and sources of their own, older than the home page's.</summary>
    private async Task<(string Mine, string Other, string MyCategory, string OtherCategory)> TwoStoriesAsync(string name)
    {
        var mine = await factory.AddArticleAsync(new ArticleBuilder().Titled($"{name} story").PublishedOn(2026, 1, 10)
            .InCategory($"{name} Desk").FromSource($"{name} Wire"));
        // No headline word in common, so neither is among the other's related stories.
        var other = await factory.AddArticleAsync(new ArticleBuilder().Titled($"Unconnected bulletin from the {name}s").PublishedOn(2026, 1, 11)
            .InCategory($"{name} Other Desk").FromSource($"{name} Other Wire"));
        return ($"/articles/{mine}", $"/articles/{other}", $"/categories/{name.ToLowerInvariant()}-desk", $"/categories/{name.ToLowerInvariant()}-other-desk");
    }

    private static async Task<string> EditUrlAsync(HttpClient editor, string title)
    {
        var list = await editor.GetDocumentAsync($"/admin?q={Uri.EscapeDataString(title)}");
        return list.QuerySelectorAll(".admin-table td a").First(a => a.TextContent.Trim() == title).GetAttribute("href")!;
    }

    [Fact]
    public async Task EditorSave_EvictsTheStoryAndWhatShowsIt_AndNothingElse()
    {
        var (mine, other, myCategory, otherCategory) = await TwoStoriesAsync("Kestrel");
        // A search the story did not match before the edit (and so is not tagged with it) is stale too.
        await WarmAsync("/", mine, other, myCategory, otherCategory, "/search?q=kestrel", "/search?q=corrected", "/feed.atom", $"{myCategory}/feed.atom");
        var editor = await factory.SignedInClientAsync(Roles.Editor);

        using var saved = await editor.SubmitFormAsync(await EditUrlAsync(editor, "Kestrel story"),
            new Dictionary<string, string?> { ["Form.Title"] = "Kestrel story, corrected" }, "#article-form");

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Contains("Kestrel story, corrected", (await AssertFreshAsync(mine)).Body);
        var listing = (await AssertFreshAsync(myCategory)).Body;
        Assert.True(listing.Contains("Kestrel story, corrected", StringComparison.Ordinal), listing[listing.IndexOf("<main", StringComparison.Ordinal)..]);
        Assert.Contains("Kestrel story, corrected", (await AssertFreshAsync($"{myCategory}/feed.atom")).Body);
        Assert.Contains("story, corrected", (await AssertFreshAsync("/search?q=kestrel")).Body);
        Assert.Contains("Kestrel story", (await AssertFreshAsync("/search?q=corrected")).Body);
        await AssertStillCachedAsync("/", other, otherCategory, "/feed.atom");
    }

    [Fact]
    public async Task PublishAndUnpublish_EvictTheListingsTheStoryEntersAndLeaves()
    {
        var (_, other, _, otherCategory) = await TwoStoriesAsync("Heron");
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        using var created = await editor.SubmitFormAsync("/admin/articles/edit", new Dictionary<string, string?>
        {
            ["Form.Title"] = "Heron breaking story",
            ["Form.Body"] = "Just in.",
            ["Form.PublishedOn"] = "2026-02-28",
            ["Form.Language"] = "en",
            ["Form.Categories"] = "Heron Desk",
            ["Form.Sources"] = "Heron Wire",
            ["Form.Status"] = "Draft",
        }, "#article-form");
        var editUrl = created.Headers.Location!.OriginalString;
        await WarmAsync("/", "/categories/heron-desk", "/sources/heron-wire", "/feed.rss", "/sitemaps/news.xml", other, otherCategory);

        using var publish = await editor.SubmitFormAsync(editUrl, new Dictionary<string, string?>(), "#article-form", "Publish");
        var home = await AssertFreshAsync("/");
        var category = await AssertFreshAsync("/categories/heron-desk");
        var source = await AssertFreshAsync("/sources/heron-wire");
        var feed = await AssertFreshAsync("/feed.rss");
        var news = await AssertFreshAsync("/sitemaps/news.xml");
        await AssertStillCachedAsync(other, otherCategory);
        await WarmAsync("/", "/categories/heron-desk");
        using var unpublish = await editor.SubmitFormAsync(editUrl, new Dictionary<string, string?>(), "#article-form", "Unpublish");
        var homeAfter = await AssertFreshAsync("/");
        var categoryAfter = await AssertFreshAsync("/categories/heron-desk");

        Assert.All([home, category, source, feed, news], page => Assert.Contains("Heron breaking story", page.Body));
        Assert.All([homeAfter, categoryAfter], page => Assert.DoesNotContain("Heron breaking story", page.Body));
        await AssertStillCachedAsync(other, otherCategory);
    }

    [Fact]
    public async Task DeleteAndRestore_EvictTheStoryAndItsListings()
    {
        var (mine, other, myCategory, otherCategory) = await TwoStoriesAsync("Osprey");
        await WarmAsync(mine, myCategory, other, otherCategory);
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var admin = await factory.SignedInClientAsync(Roles.Admin);
        var editUrl = await EditUrlAsync(editor, "Osprey story");

        using var deleted = await editor.SubmitFormAsync(editUrl, new Dictionary<string, string?>(), "form[action*='handler=Delete']");
        var gone = await AssertFreshAsync(mine);
        var listingWithout = await AssertFreshAsync(myCategory);
        await AssertStillCachedAsync(other, otherCategory);
        using var restored = await admin.SubmitFormAsync("/admin?status=deleted", new Dictionary<string, string?>(), "form[action*='handler=Undelete']");
        var back = await AssertFreshAsync(mine);
        var listingWith = await AssertFreshAsync(myCategory);

        Assert.Equal(HttpStatusCode.Gone, gone.Status);
        Assert.DoesNotContain("Osprey story", listingWithout.Body);
        Assert.Equal(HttpStatusCode.OK, back.Status);
        Assert.Contains("Osprey story", listingWith.Body);
        await AssertStillCachedAsync(other, otherCategory);
    }

    [Fact]
    public async Task MergingACategory_EvictsPagesShowingEitherName_AndNotOthers()
    {
        var (mine, other, myCategory, otherCategory) = await TwoStoriesAsync("Plover");
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Plover survivor story").PublishedOn(2026, 1, 12).InCategory("Plover Survivors"));
        await WarmAsync(mine, myCategory, "/categories/plover-survivors", "/categories", other, otherCategory);
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var names = await editor.GetDocumentAsync("/admin/categories");
        string IdOf(string name) => names.QuerySelectorAll(".admin-table tbody tr").Single(r => r.QuerySelector("td a")!.TextContent == name)
            .QuerySelector("input[name=id]")!.GetAttribute("value")!;

        using var merge = await editor.SubmitFormAsync("/admin/categories", new Dictionary<string, string?>
        {
            ["fromId"] = IdOf("Plover Desk"),
            ["intoId"] = IdOf("Plover Survivors"),
        }, "form[action*='handler=Merge']");

        Assert.Contains("Plover Survivors", (await AssertFreshAsync(mine)).Body);
        Assert.Contains("Plover story", (await AssertFreshAsync("/categories/plover-survivors")).Body);
        await AssertFreshAsync("/categories");
        await AssertStillCachedAsync(other, otherCategory);
    }

    [Fact]
    public async Task ApiWrites_EvictWhatTheyChange()
    {
        var (mine, other, myCategory, otherCategory) = await TwoStoriesAsync("Curlew");
        await WarmAsync(mine, myCategory, other, otherCategory, "/api/v1/articles?category=curlew-desk");
        var api = await factory.TokenClientAsync(Roles.Editor);
        var slug = mine.Split('/')[^1];
        var current = await (await api.GetAsync($"/api/v1/articles/{slug}")).Content.ReadFromJsonAsync<JsonElement>();

        using var put = await api.PutAsJsonAsync($"/api/v1/articles/{slug}", new { title = "Curlew story via the API", version = current.GetProperty("version").GetInt32() });

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Contains("Curlew story via the API", (await AssertFreshAsync(mine)).Body);
        Assert.Contains("Curlew story via the API", (await AssertFreshAsync(myCategory)).Body);
        Assert.Contains("Curlew story via the API", (await AssertFreshAsync("/api/v1/articles?category=curlew-desk")).Body);
        await AssertStillCachedAsync(other, otherCategory);
        using var delete = await api.DeleteAsync($"/api/v1/articles/{slug}");
        Assert.Equal(HttpStatusCode.Gone, (await AssertFreshAsync(mine)).Status);
        await AssertStillCachedAsync(other, otherCategory);
    }

    [Fact]
    public async Task UploadedImport_EvictsTheListingsItAddsTo()
    {
        var (_, other, myCategory, otherCategory) = await TwoStoriesAsync("Grebe");
        await WarmAsync(myCategory, other, otherCategory);
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var page = await editor.GetDocumentAsync("/admin/import");
        using var content = new MultipartFormDataContent
        {
            { new StringContent(page.QuerySelector("main form input[name=__RequestVerificationToken]")!.GetAttribute("value")!), "__RequestVerificationToken" },
            { new StringContent(TempFolder.Snippet("Grebe uploaded story", extraHeaders: "Category: ,Grebe Desk\nSources Grebe Wire")), "files", "grebe.txt" },
        };

        using var posted = await editor.PostAsync("/admin/import", content);
        var job = posted.Headers.Location!.OriginalString;
        for (var attempt = 0; attempt < 100 && (await editor.GetDocumentAsync(job)).QuerySelector(".import-report") is null; attempt++)
        {
            await Task.Delay(100);
        }

        Assert.Contains("Grebe uploaded story", (await AssertFreshAsync(myCategory)).Body);
        await AssertStillCachedAsync(other, otherCategory);
    }

    [Fact]
    public async Task CommandLineImport_WhileTheSiteRuns_IsShownWithinASecondOrTwo()
    {
        var (_, other, myCategory, otherCategory) = await TwoStoriesAsync("Dunlin");
        await WarmAsync(myCategory, other, otherCategory);
        using var folder = new TempFolder();
        var file = folder.Write("dunlin.txt", TempFolder.Snippet("Dunlin story from the command line", extraHeaders: "Category: ,Dunlin Desk\nSources Dunlin Wire"));

        var result = await PortalCommand.RunAsync(factory.Store, "import", file);
        Assert.Equal(0, result.ExitCode);
        var seenAfter = System.Diagnostics.Stopwatch.StartNew();
        Fetched page;
        while (!(page = await FetchAsync(myCategory)).Body.Contains("Dunlin story from the command line", StringComparison.Ordinal) && seenAfter.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
        }

        Assert.Contains("Dunlin story from the command line", page.Body);
        Assert.True(seenAfter.Elapsed < TimeSpan.FromSeconds(3), $"shown after {seenAfter.Elapsed.TotalSeconds:0.0} s");
        await AssertStillCachedAsync(other, otherCategory);
    }

    [Fact]
    public async Task ScheduledStory_IsShownWhenItsTimeComes_ThoughThePagesWereCached()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var at = factory.Clock.GetUtcNow().UtcDateTime.AddMinutes(30);
        using var created = await editor.SubmitFormAsync("/admin/articles/edit", new Dictionary<string, string?>
        {
            ["Form.Title"] = "Sandpiper embargoed story",
            ["Form.Body"] = "Under embargo.",
            ["Form.PublishedOn"] = "2026-02-27",
            ["Form.Language"] = "en",
            ["Form.Categories"] = "Sandpiper Desk",
            ["Form.Status"] = "Scheduled",
            ["Form.PublishAtUtc"] = at.ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture),
        }, "#article-form");
        await WarmAsync("/", "/feed.json");
        Assert.DoesNotContain("Sandpiper embargoed story", (await FetchAsync("/")).Body);

        factory.Clock.Advance(TimeSpan.FromMinutes(31));

        Assert.Contains("Sandpiper embargoed story", (await AssertFreshAsync("/")).Body);
        Assert.Contains("Sandpiper embargoed story", (await AssertFreshAsync("/feed.json")).Body);
        Assert.Contains("Sandpiper embargoed story", (await AssertFreshAsync("/categories/sandpiper-desk")).Body);
    }

    [Fact]
    public async Task ASharedLinksTrackers_AreServedTheCachedCopy_AndAChangeReachesThemToo()
    {
        var (mine, _, _, _) = await TwoStoriesAsync("Bittern");
        await WarmAsync(mine, "/search?q=bittern");

        // Each reader a shared story brings has a click id of their own.
        var fromSocial = await FetchAsync($"{mine}?utm_source=social&utm_medium=post&fbclid=IwAR1{Guid.NewGuid():N}");
        var fromNewsletter = await FetchAsync($"{mine}?gclid=Cj0{Guid.NewGuid():N}&UTM_Campaign=morning");
        var searchFromSocial = await FetchAsync("/search?utm_source=social&q=bittern");
        var otherSearch = await FetchAsync("/search?q=bittern+wire&utm_source=social");
        var unknownKey = await FetchAsync($"{mine}?edition=uk");
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        using var saved = await editor.SubmitFormAsync(await EditUrlAsync(editor, "Bittern story"),
            new Dictionary<string, string?> { ["Form.Title"] = "Bittern story, corrected" }, "#article-form");
        var afterChange = await FetchAsync($"{mine}?fbclid=IwAR2{Guid.NewGuid():N}");

        Assert.True(fromSocial.FromCache, "a story's address with trackers was rendered again, not served the cached copy");
        Assert.True(fromNewsletter.FromCache, "the trackers' names were compared in their case");
        Assert.True(searchFromSocial.FromCache, "a search's address with trackers was rendered again");
        Assert.False(otherSearch.FromCache, "a different search was served the cached copy of another");
        Assert.False(unknownKey.FromCache, "only trackers are left out of the cache's key");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.False(afterChange.FromCache);
        Assert.Contains("Bittern story, corrected", afterChange.Body);
    }

    [Fact]
    public async Task SignedInEditors_NeverGetTheReadersCopy_NorReadersTheirs()
    {
        var (mine, _, _, _) = await TwoStoriesAsync("Avocet");
        var editor = await factory.SignedInClientAsync(Roles.Editor);

        await WarmAsync(mine);
        using var asEditor = await editor.GetAsync(mine);
        var editorPage = await asEditor.Content.ReadAsStringAsync();
        var readerPage = await FetchAsync(mine);

        Assert.Null(asEditor.Headers.Age);
        Assert.Contains("href=\"/admin\"", editorPage);
        Assert.True(readerPage.FromCache);
        Assert.DoesNotContain("href=\"/admin\"", readerPage.Body);
        Assert.DoesNotContain("Sign out", readerPage.Body);
    }

    [Fact]
    public async Task AStaleSignInCookie_GetsAPageRenderedForItsSender_AndLeavesTheReadersCopyAlone()
    {
        var (mine, _, _, _) = await TwoStoriesAsync("Curlew");
        await WarmAsync(mine);
        using var stale = new HttpRequestMessage(HttpMethod.Get, mine);
        stale.Headers.Add("Cookie", "newsportal.auth=expired-or-forged");

        using var response = await _reader.SendAsync(stale);
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.Age);
        Assert.Contains("Curlew story", page);
        Assert.DoesNotContain("href=\"/admin\"", page);
        Assert.True((await FetchAsync(mine)).FromCache, "the readers' copy was dropped or replaced");
    }

    [Fact]
    public async Task AddressesWithMadeUpQueryKeys_AreRendered_ButNeverKept()
    {
        var (mine, _, _, _) = await TwoStoriesAsync("Dunlin");
        await WarmAsync(mine);

        await FetchAsync($"{mine}?x=1");
        var again = await FetchAsync($"{mine}?x=1");
        await FetchAsync("/search?q=dunlin");
        var search = await FetchAsync("/search?q=dunlin");

        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Contains("Dunlin story", again.Body);
        Assert.False(again.FromCache, "a copy was kept for a query key no page reads");
        Assert.True((await FetchAsync(mine)).FromCache, "the readers' copy was dropped");
        Assert.True(search.FromCache, "a key pages read is no longer kept");
    }
}
