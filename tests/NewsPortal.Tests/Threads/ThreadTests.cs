using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NewsPortal.Tests.Api;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;
using NewsPortal.Web.Import;

namespace NewsPortal.Tests.Threads;

/// <summary>Developing stories: a story's thread comes in by every way in, and readers follow it on its own page and feed.</summary>
public sealed class ThreadTests(EditorialFactory factory) : IClassFixture<EditorialFactory>
{
    [Fact]
    public async Task TopicsHeader_PutsTheStoryInTheInnermostTopicsThread()
    {
        using var folder = new TempFolder();
        folder.Write("hormuz.txt", TempFolder.Snippet("Tankers turned back at the strait", "Ships waited offshore.",
            "Topics: Middle Eastern crisis > 2026 Strait of Hormuz crisis"));

        await factory.ImportAsync(folder.Path);
        var article = await factory.CreateClient().GetDocumentAsync("/articles/tankers-turned-back-at-the-strait");
        var thread = await factory.CreateClient().GetDocumentAsync("/threads/2026-strait-of-hormuz-crisis");

        Assert.Equal("2026 Strait of Hormuz crisis", article.TextOf(".thread-kicker a"));
        Assert.Equal("/threads/2026-strait-of-hormuz-crisis", article.QuerySelector(".thread-kicker a")!.GetAttribute("href"));
        Assert.Equal(["Tankers turned back at the strait"], thread.TextsOf(".headlines h2"));
        Assert.Contains("1 story", thread.TextOf(".listing-summary"));
    }

    [Fact]
    public void Thread_SurvivesSnippetAndJsonLinesRoundTrips()
    {
        var story = new ArticleBuilder().Titled("Round trip of a thread").InThread("2026 Ebola epidemic").Build();

        var fromSnippet = SnippetParser.Parse(SnippetWriter.Write(story), "story.txt").Document!;
        var fromJson = JsonLines.Read(JsonLines.Write(story), out var error)!;
        var fromCorpusShape = JsonLines.Read("""{"title":"T","publishedOn":"2026-01-02","body":"B.","topics":["Middle Eastern crisis","Gaza war"]}""", out _)!;

        Assert.Null(error);
        Assert.Equal("2026 Ebola epidemic", fromSnippet.Thread);
        Assert.Equal("2026 Ebola epidemic", fromJson.Thread);
        Assert.Contains("\"topics\":[\"2026 Ebola epidemic\"]", JsonLines.Write(story));
        Assert.Equal("Gaza war", fromCorpusShape.Thread);
    }

    [Fact]
    public async Task ThreadNameTooLong_IsRefusedWithFileAndLine()
    {
        using var folder = new TempFolder();
        var line = JsonSerializer.Serialize(new { title = "Overlong thread", publishedOn = "2026-01-02", body = "B.", topics = new[] { new string('x', 201) } });
        folder.Write("long.jsonl", line + "\n");

        var report = await factory.ImportAsync(folder.Path);

        var problem = Assert.Single(report.Problems);
        Assert.Equal(1, problem.Line);
        Assert.Contains("thread", problem.Reason);
        Assert.Contains("200 characters", problem.Reason);
        Assert.Equal(0, report.Imported);
    }

    [Fact]
    public async Task ThreadPage_ListsItsStoriesNewestFirst_AndHasAFeed()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Quake day one").PublishedOn(2025, 4, 1).InThread("Andes earthquake"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Quake day three").PublishedOn(2025, 4, 3).InThread("Andes earthquake"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Quake day two").PublishedOn(2025, 4, 2).InThread("Andes earthquake"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Unrelated storm").PublishedOn(2025, 4, 2).InThread("Pacific storm"));
        var client = factory.CreateClient();

        var page = await client.GetDocumentAsync("/threads/andes-earthquake");
        var feed = await client.GetStringAsync("/threads/andes-earthquake/feed.atom");
        using var missing = await client.GetAsync("/threads/no-such-thread");
        using var missingFeed = await client.GetAsync("/threads/no-such-thread/feed.rss");

        Assert.Equal(["Quake day three", "Quake day two", "Quake day one"], page.TextsOf(".headlines h2"));
        Assert.StartsWith("3 stories", page.TextOf(".listing-summary"));
        Assert.NotNull(page.QuerySelector("head link[rel=alternate][href='/threads/andes-earthquake/feed.atom']"));
        Assert.Equal(3, feed.Split("<entry").Length - 1);
        Assert.Contains("Quake day three", feed);
        Assert.DoesNotContain("Unrelated storm", feed);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missingFeed.StatusCode);
    }

    [Fact]
    public async Task ThreadsIndex_PutsTheMostRecentlyUpdatedFirst_WithCounts_AndLeavesOutOneStoryThreads()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Older saga, part one").PublishedOn(2024, 1, 5).InThread("Older saga"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Older saga, part two").PublishedOn(2024, 1, 9).InThread("Older saga"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Newer saga begins").PublishedOn(2024, 2, 1).InThread("Newer saga"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Newer saga goes on").PublishedOn(2024, 2, 2).InThread("Newer saga"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("A one-off report").PublishedOn(2024, 2, 3).InThread("One-off"));

        var index = await factory.CreateClient().GetDocumentAsync("/threads");
        var names = index.TextsOf(".thread-index .thread-name").ToList();
        using var oneOffPage = await factory.CreateClient().GetAsync("/threads/one-off");

        Assert.True(names.IndexOf("Newer saga") >= 0 && names.IndexOf("Newer saga") < names.IndexOf("Older saga"), string.Join(", ", names));
        // One story is news, not a developing story; its thread's page is still there for the story to link to.
        Assert.DoesNotContain("One-off", names);
        Assert.Equal(HttpStatusCode.OK, oneOffPage.StatusCode);
        var older = index.QuerySelectorAll(".thread-index > li").Single(li => li.QuerySelector(".thread-name")!.TextContent == "Older saga");
        Assert.Contains("2 stories", older.TextContent);
        Assert.Contains("9 January 2024", older.TextContent);
        // Each with its newest story, as the front page's rail shows it.
        Assert.Equal("Older saga, part two", older.QuerySelector(".thread-latest")!.TextContent);
        Assert.Equal("/articles/older-saga-part-two", older.QuerySelector(".thread-latest")!.GetAttribute("href"));
        using var badCursor = await factory.CreateClient().GetAsync("/threads?after=not-a-position");
        Assert.Equal(HttpStatusCode.BadRequest, badCursor.StatusCode);
        // A later page starts after the position it is given: after the newest possible, everything.
        var later = await factory.CreateClient().GetDocumentAsync($"/threads?after={long.MaxValue}.1");
        Assert.Equal("Developing stories, earlier · NewsPortal", later.Title);
        Assert.Contains("Older saga", later.TextsOf(".thread-index .thread-name"));
    }

    [Fact]
    public async Task ArticlePage_ListsMoreOnThisStory_WithoutItself_AndPicksUpANewStory()
    {
        var first = await factory.AddArticleAsync(new ArticleBuilder().Titled("Dam talks open").PublishedOn(2025, 9, 1).InThread("Nile dam talks"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Dam talks stall").PublishedOn(2025, 9, 2).InThread("Nile dam talks"));
        var reader = factory.CreateClient();

        var before = await reader.GetDocumentAsync($"/articles/{first}");
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Dam talks resume").PublishedOn(2025, 9, 3).InThread("Nile dam talks"));
        var after = await reader.GetDocumentAsync($"/articles/{first}");

        Assert.Equal(["Dam talks stall"], before.TextsOf(".more-on-story .timeline a"));
        // The page was cached for readers; the new story in its thread evicted it.
        Assert.Equal(["Dam talks resume", "Dam talks stall"], after.TextsOf(".more-on-story .timeline a"));
        Assert.Equal("/threads/nile-dam-talks", after.QuerySelector(".more-on-story h2 a")!.GetAttribute("href"));
    }

    [Fact]
    public async Task Editor_MovesAStoryBetweenThreads_AndUnpublishingTakesItOut()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var fields = new Dictionary<string, string?>
        {
            ["Form.Title"] = "Flood waters rise in the delta",
            ["Form.Body"] = "Water rose overnight.",
            ["Form.PublishedOn"] = "2026-02-20",
            ["Form.Language"] = "en",
            ["Form.Thread"] = "Delta floods",
            ["Form.Status"] = "Published",
        };
        using var created = await editor.SubmitFormAsync("/admin/articles/edit", fields, "#article-form");
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var editUrl = created.Headers.Location!.OriginalString;
        var reader = factory.CreateClient();
        var inDelta = await reader.GetDocumentAsync("/threads/delta-floods");

        using var moved = await editor.SubmitFormAsync(editUrl, new Dictionary<string, string?> { ["Form.Thread"] = "Monsoon season" }, "#article-form");
        var deltaAfterMove = await reader.GetDocumentAsync("/threads/delta-floods");
        var monsoon = await reader.GetDocumentAsync("/threads/monsoon-season");
        var form = await editor.GetDocumentAsync(editUrl);
        using var unpublished = await editor.SubmitFormAsync(editUrl, new Dictionary<string, string?> { ["Form.Status"] = "Unpublished" }, "#article-form");
        var monsoonAfterUnpublish = await reader.GetDocumentAsync("/threads/monsoon-season");
        var index = await reader.GetDocumentAsync("/threads");

        Assert.Equal(["Flood waters rise in the delta"], inDelta.TextsOf(".headlines h2"));
        Assert.Empty(deltaAfterMove.TextsOf(".headlines h2"));
        Assert.StartsWith("0 stories", deltaAfterMove.TextOf(".listing-summary"));
        Assert.Equal(["Flood waters rise in the delta"], monsoon.TextsOf(".headlines h2"));
        Assert.Equal("Monsoon season", form.QuerySelector("input[name='Form.Thread']")!.GetAttribute("value"));
        Assert.Empty(monsoonAfterUnpublish.TextsOf(".headlines h2"));
        Assert.DoesNotContain("Monsoon season", index.TextsOf(".thread-index .thread-name"));
        Assert.DoesNotContain("Delta floods", index.TextsOf(".thread-index .thread-name"));
    }

    [Fact]
    public async Task Api_ReadsAndWritesTheThread_AndAnEmptyOneClearsIt()
    {
        var api = await factory.TokenClientAsync(Roles.Editor);

        using var created = await api.PostAsJsonAsync("/api/v1/articles",
            new { title = "Grain corridor reopens", body = "Ships sailed.", publishedOn = "2026-03-01", language = "en", thread = "Black Sea grain deal" });
        var story = await created.Content.ReadFromJsonAsync<JsonElement>();
        var slug = story.GetProperty("slug").GetString();
        using var cleared = await api.PutAsJsonAsync($"/api/v1/articles/{slug}", new { thread = "", version = story.GetProperty("version").GetInt32() });
        var after = await cleared.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("Black Sea grain deal", story.GetProperty("thread").GetString());
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Equal(JsonValueKind.Null, after.TryGetProperty("thread", out var thread) ? thread.ValueKind : JsonValueKind.Null);
        Assert.Empty((await factory.CreateClient().GetDocumentAsync("/threads/black-sea-grain-deal")).TextsOf(".headlines h2"));
    }
}

/// <summary>The threads' API list, on a store of its own: it fills more than a page of threads.</summary>
public sealed class ThreadsApiTests(EditorialFactory factory) : IClassFixture<EditorialFactory>
{
    [Fact]
    public async Task ThreadsApi_ListsTheMostRecentlyActiveFirst_APageAtATime_AndRefusesABadCursor()
    {
        for (var i = 1; i <= 61; i++)
        {
            await factory.AddArticleAsync(new ArticleBuilder().Titled($"Relay saga {i}, latest").PublishedOn(2030, 1 + (i / 28), 1 + (i % 28)).InThread($"Relay saga {i:D2}"));
        }

        await factory.AddArticleAsync(new ArticleBuilder().Titled("Relay saga 61, earlier").PublishedOn(2029, 12, 1).InThread("Relay saga 61"));
        var client = factory.CreateClient();

        using var first = await client.GetAsync("/api/v1/threads");
        var firstItems = await first.Content.ReadFromJsonAsync<JsonElement[]>();
        var next = first.Headers.GetValues("Link").Single();
        using var second = await client.GetAsync(next[1..next.IndexOf('>', StringComparison.Ordinal)]);
        var secondItems = await second.Content.ReadFromJsonAsync<JsonElement[]>();
        using var bad = await client.GetAsync("/api/v1/threads?after=not-a-position");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(60, firstItems!.Length);
        var newest = firstItems[0];
        Assert.Equal(("Relay saga 61", "relay-saga-61", 2, "2030-03-06"),
            (newest.GetProperty("name").GetString(), newest.GetProperty("slug").GetString(), newest.GetProperty("articles").GetInt32(), newest.GetProperty("latestOn").GetString()));
        var relays = firstItems.Concat(secondItems!).Select(t => t.GetProperty("name").GetString()!).Where(n => n.StartsWith("Relay saga", StringComparison.Ordinal)).ToList();
        Assert.Equal(Enumerable.Range(1, 61).Reverse().Select(i => $"Relay saga {i:D2}"), relays);
        Assert.Contains("rel=\"next\"", next, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType!.MediaType);
    }
}
