using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Infrastructure;

namespace NewsPortal.Tests.Search;

/// <summary>A small newsroom of stories with known words, sources, categories, languages and dates.</summary>
public sealed class SearchFixture : EditorialFactory, IAsyncLifetime
{
    protected override bool SeedOnStartup => false;

    public async Task InitializeAsync()
    {
        await AddArticleAsync(new ArticleBuilder().Titled("Ceasefire talks resume in Istanbul").PublishedOn(2025, 6, 2)
            .FromSource("Reuters").InCategory("Diplomacy").WithParagraph("Delegations met at the palace to discuss a prisoner swap."));
        await AddArticleAsync(new ArticleBuilder().Titled("Markets steady as talks drag on").PublishedOn(2025, 6, 3)
            .FromSource("Bloomberg").InCategory("Business").WithParagraph("Investors watched the ceasefire news closely."));
        await AddArticleAsync(new ArticleBuilder().Titled("Türkiye hosts regional summit").PublishedOn(2025, 12, 20)
            .FromSource("Anadolu Agency").InCategory("Diplomacy").InLanguage("tr").WithParagraph("Ankara welcomed leaders from the region."));
        await AddArticleAsync(new ArticleBuilder().Titled("Storm closes schools").PublishedOn(2026, 2, 1)
            .FromSource("Reuters").InCategory("Weather").WithParagraph("Heavy snow fell across the north; talks of closures spread."));
        await AddArticleAsync(new ArticleBuilder().Titled("Prisoner swap completed").PublishedOn(2025, 5, 25)
            .FromSource("The Globe and Mail").InCategory("Diplomacy").WithParagraph("Both sides confirmed the swap of prisoners of war."));
        await AddArticleAsync(new ArticleBuilder().Titled("<script>alert(1)</script> hostile headline").PublishedOn(2025, 1, 1)
            .WithParagraph("A <b>bold</b> attempt at markup in searchable text."));
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
}

public sealed class SearchTests(SearchFixture factory) : IClassFixture<SearchFixture>
{
    [Fact]
    public async Task AnExcerptOpeningWithTheHeadline_ShowsWhatFollowsIt_OrNothingWhenOnlyACreditFollows()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Gannet colony floods in spring tide").PublishedOn(2024, 6, 1)
            .WithParagraph("Gannet colony floods in spring tide. (Shetland News)"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Gannet chicks counted by drone").PublishedOn(2024, 6, 2)
            .WithParagraph("Gannet chicks counted by drone. Wardens found 310 nests, the most since 2019."));

        var page = await factory.CreateClient().GetDocumentAsync("/search?q=gannet");

        var cards = page.QuerySelectorAll(".search-results .card").ToDictionary(c => c.QuerySelector("h2")!.TextContent.Trim());
        Assert.Null(cards["Gannet colony floods in spring tide"].QuerySelector(".lede"));
        Assert.Equal("Wardens found 310 nests, the most since 2019.", cards["Gannet chicks counted by drone"].QuerySelector(".lede")!.TextContent);
        Assert.Equal(["Gannet"], cards["Gannet chicks counted by drone"].QuerySelectorAll("h2 mark").Select(m => m.TextContent));

        // Words marked on both sides of the cut: the headline's are dropped with it, the rest keep their marks.
        var both = Assert.Single((await factory.CreateClient().GetDocumentAsync("/search?q=drone+nests")).QuerySelectorAll(".search-results .lede"));
        Assert.Equal("Wardens found 310 nests, the most since 2019.", both.TextContent);
        Assert.Equal(["nests"], both.QuerySelectorAll("mark").Select(m => m.TextContent));
    }

    private async Task<string[]> TitlesAsync(string q)
    {
        var page = await factory.CreateClient().GetDocumentAsync($"/search?q={Uri.EscapeDataString(q)}");
        return page.TextsOf(".search-results h2");
    }

    [Fact]
    public async Task Words_FindStoriesWithAllOfThem_TitleMatchesRankFirst()
    {
        var titles = await TitlesAsync("ceasefire");

        Assert.Equal(["Ceasefire talks resume in Istanbul", "Markets steady as talks drag on"], titles);
    }

    [Fact]
    public async Task Results_ShowCountsAndHighlightTheMatches()
    {
        var page = await factory.CreateClient().GetDocumentAsync("/search?q=talks");

        Assert.Equal("3 results", page.TextOf(".count"));
        Assert.Equal("talks", page.QuerySelector(".search-results h2 mark")!.TextContent.ToLowerInvariant());
    }

    [Fact]
    public async Task QuotedPhrase_MatchesOnlyThatPhrase()
    {
        Assert.Equal(["Prisoner swap completed", "Ceasefire talks resume in Istanbul"], await TitlesAsync("\"prisoner swap\""));
        Assert.Empty(await TitlesAsync("\"swap prisoner\""));
    }

    [Fact]
    public async Task MinusWord_LeavesOutStoriesWithIt()
    {
        Assert.Equal(["Ceasefire talks resume in Istanbul", "Markets steady as talks drag on"], (await TitlesAsync("talks -snow")).Order());
    }

    [Theory]
    [InlineData("/search?q=talks+after:9999-12-31")]
    [InlineData("/search?q=after:9999-12-31&sort=newest")]
    [InlineData("/search/feed.atom?q=after:9999-12-31")]
    [InlineData("/api/v1/search?q=talks+after:9999-12-31")]
    [InlineData("/api/v1/articles?from=9999-12-31")]
    [InlineData("/api/v1/articles?q=talks&from=9999-12-31")]
    [InlineData("/search?q=talks+before:0001-01-01")]
    [InlineData("/search?q=before:0001-01-01&sort=newest")]
    [InlineData("/api/v1/search?q=talks+before:0001-01-01")]
    [InlineData("/api/v1/articles?q=talks&to=0001-01-01")]
    [InlineData("/api/v1/articles?q=talks&from=2020-01-02&to=2020-01-01")]
    public async Task BeyondEitherEndOfTheCalendar_OrFromAfterTo_NothingIsFound_AndThatIsNoError(string url)
    {
        using var response = await factory.CreateClient().GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("Ceasefire talks resume in Istanbul", text);
    }

    [Theory]
    [InlineData("/search?q=")]
    [InlineData("/api/v1/search?q=")]
    [InlineData("/api/v1/articles?q=")]
    [InlineData("/search/feed.atom?q=")]
    public async Task AQueryCutAtItsLimitInsideAnEmoji_IsSearchedWithoutIt(string url)
    {
        using var response = await factory.CreateClient().GetAsync(url + new string('a', 499) + "%F0%9F%98%80");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/articles?to=9999-12-31&limit=100")]
    [InlineData("/api/v1/articles?q=talks&to=9999-12-31")]
    [InlineData("/api/v1/articles?q=talks&from=0001-01-01")]
    public async Task FromTheCalendarsFirstDayOrUpToItsLast_EveryStoryIsFound(string url)
    {
        using var response = await factory.CreateClient().GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Ceasefire talks resume in Istanbul", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("talks source:reuters", new[] { "Ceasefire talks resume in Istanbul", "Storm closes schools" })]
    [InlineData("source:\"the globe and mail\"", new[] { "Prisoner swap completed" })]
    [InlineData("category:diplomacy", new[] { "Türkiye hosts regional summit", "Ceasefire talks resume in Istanbul", "Prisoner swap completed" })]
    [InlineData("lang:tr", new[] { "Türkiye hosts regional summit" })]
    [InlineData("talks before:2025-06-03", new[] { "Ceasefire talks resume in Istanbul" })]
    [InlineData("talks after:2025-06-02", new[] { "Storm closes schools", "Markets steady as talks drag on" })]
    [InlineData("category:diplomacy after:2025-06-01 before:2026-01-01", new[] { "Türkiye hosts regional summit", "Ceasefire talks resume in Istanbul" })]
    [InlineData("source:reuters category:weather", new[] { "Storm closes schools" })]
    [InlineData("category:diplomacy lang:tr", new[] { "Türkiye hosts regional summit" })]
    [InlineData("category:diplomacy -prisoner", new[] { "Türkiye hosts regional summit" })]
    public async Task Operators_FilterTheResults(string q, string[] expected)
    {
        var titles = await TitlesAsync(q);

        if (q.Contains("talks", StringComparison.Ordinal))
        {
            Assert.Equal(expected.Order(), titles.Order());
        }
        else
        {
            Assert.Equal(expected, titles);
        }
    }

    [Fact]
    public async Task Highlights_MarkWholePhrasesAndAccentedWords_InHeadlineAndSnippet()
    {
        var client = factory.CreateClient();

        var accented = await client.GetDocumentAsync("/search?q=turkiye");
        Assert.Equal(["Türkiye"], accented.TextsOf(".search-results h2 mark"));

        var phrase = await client.GetDocumentAsync($"/search?q={Uri.EscapeDataString("\"prisoner swap\"")}");
        var ceasefire = phrase.QuerySelectorAll(".search-results article").Single(a => a.TextContent.Contains("Istanbul", StringComparison.Ordinal));
        Assert.Equal(["prisoner", "swap"], ceasefire.QuerySelectorAll(".lede mark").Select(m => m.TextContent));
        Assert.Equal("Delegations met at the palace to discuss a prisoner swap.", ceasefire.QuerySelector(".lede")!.TextContent);
    }

    [Theory]
    [InlineData("turkiye")]
    [InlineData("Türkiye")]
    [InlineData("TURKIYE")]
    [InlineData("Tu\u0308rkiye")]
    public async Task NonEnglishText_IsFoundWithOrWithoutItsAccents(string q)
    {
        Assert.Equal(["Türkiye hosts regional summit"], await TitlesAsync(q));
    }

    [Theory]
    [InlineData("", null, new string[0])]
    [InlineData("   ", null, new string[0])]
    [InlineData("\"swap prisoner", "A quotation mark was not closed", new[] { "Ceasefire talks resume in Istanbul", "Prisoner swap completed" })]
    [InlineData("-talks", "Add a word to search for", new string[0])]
    [InlineData("before:yesterday talks", "'before:' needs a date written as 2026-01-31", new[] { "Storm closes schools", "Markets steady as talks drag on", "Ceasefire talks resume in Istanbul" })]
    [InlineData("AND OR NOT ( ) * ^ NEAR(", null, new string[0])]
    [InlineData("talks\" OR \"1\"=\"1", null, new string[0])]
    [InlineData("swap* ^prisoner", null, new[] { "Ceasefire talks resume in Istanbul", "Prisoner swap completed" })]
    [InlineData("talks) (storm", null, new[] { "Storm closes schools" })]
    public async Task OddOrMalformedQueries_GetAMessageOrResults_NeverA500(string q, string? message, string[] titles)
    {
        var page = await factory.CreateClient().GetDocumentAsync($"/search?q={Uri.EscapeDataString(q)}");

        if (message is not null)
        {
            Assert.Contains(message, page.TextOf(".notice"));
        }

        Assert.DoesNotContain("could not be run", page.QuerySelector(".notice")?.TextContent ?? "");
        Assert.Equal(titles.Order(), page.TextsOf(".search-results h2").Order());
        Assert.NotNull(page.QuerySelector("form[role=search] input[name=q]"));
    }

    [Fact]
    public async Task SortNewest_ListsMatchesNewestFirst_WhereRelevanceListsHeadlineMatchesFirst()
    {
        var client = factory.CreateClient();
        var relevance = await client.GetDocumentAsync("/search?q=talks");
        var newest = await client.GetDocumentAsync("/search?q=talks&sort=newest");
        var api = await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/search?q=talks&sort=newest");
        var unknown = await client.GetDocumentAsync("/search?q=talks&sort=oldest", expectedStatus: 400);

        Assert.Equal(["Markets steady as talks drag on", "Ceasefire talks resume in Istanbul", "Storm closes schools"], relevance.TextsOf(".search-results h2"));
        Assert.Equal(["Storm closes schools", "Markets steady as talks drag on", "Ceasefire talks resume in Istanbul"], newest.TextsOf(".search-results h2"));
        Assert.Equal("/search?q=talks&sort=newest", "/search" + relevance.QuerySelector(".search-sort a")!.GetAttribute("href"));
        Assert.Equal("newest", newest.TextOf(".search-sort [aria-current]"));
        Assert.Equal(newest.TextsOf(".search-results h2"), api.GetProperty("items").EnumerateArray().Select(h => h.GetProperty("title").GetString()!));
        Assert.Contains("sort must be 'relevance' or 'newest'", unknown.Body!.TextContent);
    }

    [Fact]
    public async Task Relevance_ListsHeadlineMatches_ThenFirstParagraphMatches_ThenTheRest()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Kittiwake numbers rise on the cliffs").PublishedOn(2024, 3, 1)
            .WithParagraph("Counters found more nests than last spring."));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Harbour report").PublishedOn(2024, 4, 1)
            .WithParagraph("A kittiwake colony returned to the old pier.").WithParagraph("Boats kept their distance."));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Coastal notes").PublishedOn(2024, 5, 1)
            .WithParagraph("Fishing boats came in early.").WithParagraph("Later a kittiwake was seen over the breakwater."));

        Assert.Equal(["Kittiwake numbers rise on the cliffs", "Harbour report", "Coastal notes"], await TitlesAsync("kittiwake"));
        var newest = await factory.CreateClient().GetDocumentAsync("/search?q=kittiwake&sort=newest");
        Assert.Equal(["Coastal notes", "Harbour report", "Kittiwake numbers rise on the cliffs"], newest.TextsOf(".search-results h2"));
    }

    [Fact]
    public async Task TheFilterFields_BecomeTheOperators_WithTheirDaysIncluded()
    {
        var client = factory.CreatePlainClient();
        using var narrowed = await client.GetAsync("/search?q=talks&sort=newest&from=2025-06-03&to=2026-02-01&source=&category=&lang=");
        var location = narrowed.Headers.Location!.OriginalString;
        var results = await factory.CreateClient().GetDocumentAsync(location);
        var badDate = await factory.CreateClient().GetDocumentAsync("/search?q=talks&from=03/06/2025", expectedStatus: 400);
        using var wholeCalendar = await client.GetAsync("/search?q=talks&from=0001-01-01&to=9999-12-31");

        Assert.Equal(System.Net.HttpStatusCode.Redirect, narrowed.StatusCode);
        Assert.Equal("/search?q=talks%20after%3A2025-06-02%20before%3A2026-02-02&sort=newest", location);
        Assert.Equal(["Storm closes schools", "Markets steady as talks drag on"], results.TextsOf(".search-results h2"));
        Assert.Contains("from must be a date written as 2026-01-31", badDate.Body!.TextContent);
        Assert.Equal("/search?q=talks", wholeCalendar.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task TheHeaderSearchBox_HoldsTheQuery_AndIsTheSearchPagesOnlyBox()
    {
        var results = await factory.CreateClient().GetDocumentAsync($"/search?q={Uri.EscapeDataString("talks source:reuters")}");
        var home = await factory.CreateClient().GetDocumentAsync("/");

        Assert.Equal("talks source:reuters", results.QuerySelector("#site-search-q")!.GetAttribute("value"));
        Assert.Single(results.QuerySelectorAll("input[name=q]:not([type=hidden])"));
        Assert.True(string.IsNullOrEmpty(home.QuerySelector("#site-search-q")!.GetAttribute("value")));
    }

    [Fact]
    public async Task NoQueryAnyoneTypes_BreaksTheFullTextSyntax()
    {
        // Words, FTS5 operators and punctuation thrown together at random: every query runs, none is refused by the index.
        string[] pieces = ["talks", "swap", "\"", "(", ")", "*", "^", ":", "-", "+", "NEAR", "AND", "OR", "NOT", "{", "}", "'", ",", "source:", "category:", "lang:", "é", "\u0301", "ß", "🙂", "\\", "/", ".", "NEAR/2"];
        var random = new Random(20261130);
        await using var scope = factory.Services.CreateAsyncScope();
        var search = scope.ServiceProvider.GetRequiredService<NewsPortal.Web.Search.SearchService>();
        for (var i = 0; i < 400; i++)
        {
            var q = string.Join(random.Next(3) == 0 ? "" : " ", Enumerable.Range(0, random.Next(1, 8)).Select(_ => pieces[random.Next(pieces.Length)]));

            var results = await search.SearchAsync(NewsPortal.Web.Search.SearchQuery.Parse(q), 1);

            Assert.True(results.Problem is null || !results.Problem.Contains("could not be run", StringComparison.Ordinal), $"'{q}': {results.Problem}");
        }
    }

    [Fact]
    public async Task MarkupInStories_IsShownAsTextInResults()
    {
        var page = await factory.CreateClient().GetDocumentAsync("/search?q=hostile");

        Assert.Empty(page.QuerySelectorAll("main script, main b"));
        Assert.Contains("<script>alert(1)</script>", page.TextOf(".search-results h2"));
    }

    [Fact]
    public async Task DraftsAndFutureStories_AreNotFound_UntilTheyArePublic()
    {
        var editor = await factory.SignedInClientAsync(NewsPortal.Web.Accounts.Roles.Editor);
        var at = factory.Clock.GetUtcNow().UtcDateTime.AddHours(1).ToString("yyyy-MM-ddTHH:mm");
        await editor.SubmitFormAsync("/admin/articles/edit", new Dictionary<string, string?>
        {
            ["Form.Title"] = "Embargoed zeppelin story",
            ["Form.Body"] = "Zeppelin news under embargo.",
            ["Form.PublishedOn"] = "2026-03-01",
            ["Form.Language"] = "en",
            ["Form.Status"] = "Scheduled",
            ["Form.PublishAtUtc"] = at,
        }, "#article-form");

        var before = await TitlesAsync("zeppelin");
        factory.Clock.Advance(TimeSpan.FromHours(2));
        var after = await TitlesAsync("zeppelin");

        Assert.Empty(before);
        Assert.Equal(["Embargoed zeppelin story"], after);
    }

    [Fact]
    public async Task EditingAStory_UpdatesTheIndexInTheSameSave()
    {
        var editor = await factory.SignedInClientAsync(NewsPortal.Web.Accounts.Roles.Editor);
        using var created = await editor.SubmitFormAsync("/admin/articles/edit", new Dictionary<string, string?>
        {
            ["Form.Title"] = "Platypus spotted in river",
            ["Form.Body"] = "A rare sighting.",
            ["Form.PublishedOn"] = "2026-03-01",
            ["Form.Language"] = "en",
            ["Form.Status"] = "Published",
        }, "#article-form");
        var editUrl = created.Headers.Location!.OriginalString;

        var before = await TitlesAsync("platypus");
        await editor.SubmitFormAsync(editUrl, new Dictionary<string, string?> { ["Form.Title"] = "Wombat spotted in river" }, "#article-form");
        var oldWord = await TitlesAsync("platypus");
        var newWord = await TitlesAsync("wombat");

        Assert.Equal(["Platypus spotted in river"], before);
        Assert.Empty(oldWord);
        Assert.Equal(["Wombat spotted in river"], newWord);
    }

    [Fact]
    public async Task Paging_KeepsTheQuery()
    {
        for (var i = 0; i < 25; i++)
        {
            await factory.AddArticleAsync(new ArticleBuilder().Titled($"Quokka sighting {i}").PublishedOn(2024, 1, 1 + (i % 28)));
        }

        var first = await factory.CreateClient().GetDocumentAsync("/search?q=quokka");
        var second = await factory.CreateClient().GetDocumentAsync("/search?q=quokka&page=2");

        Assert.Equal("25 results", first.TextOf(".count"));
        Assert.Equal(20, first.QuerySelectorAll(".search-results h2").Length);
        Assert.Equal("?q=quokka&page=2", first.QuerySelector(".pager a[rel=next]")!.GetAttribute("href"));
        Assert.Equal(5, second.QuerySelectorAll(".search-results h2").Length);
    }

    [Fact]
    public async Task SearchFeed_CarriesTheMatchesNewestFirst_AndTheResultsPageLinksIt()
    {
        var page = await factory.CreateClient().GetDocumentAsync("/search?q=talks");
        var atomHref = page.QuerySelector("link[rel=alternate][type='application/atom+xml']")!.GetAttribute("href")!;
        using var response = await factory.CreateClient().GetAsync(atomHref);
        var feed = System.Xml.Linq.XDocument.Parse(await response.Content.ReadAsStringAsync());
        System.Xml.Linq.XNamespace atom = "http://www.w3.org/2005/Atom";

        Assert.Equal("/search/feed.atom?q=talks", atomHref);
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(
            ["Storm closes schools", "Markets steady as talks drag on", "Ceasefire talks resume in Istanbul"],
            feed.Root!.Elements(atom + "entry").Select(e => e.Element(atom + "title")!.Value));
    }

    [Fact]
    public async Task SearchFeed_WithoutASearch_Answers400()
    {
        using var response = await factory.CreateClient().GetAsync("/search/feed.json?q=");

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Give a search to follow", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OpenSearchDescription_IsLinkedFromEveryPage()
    {
        var home = await factory.CreateClient().GetDocumentAsync("/");
        using var description = await factory.CreateClient().GetAsync("/opensearch.xml");
        var xml = System.Xml.Linq.XDocument.Parse(await description.Content.ReadAsStringAsync());

        Assert.Equal("/opensearch.xml", home.QuerySelector("link[rel=search]")!.GetAttribute("href"));
        Assert.Equal("application/opensearchdescription+xml", description.Content.Headers.ContentType!.MediaType);
        Assert.EndsWith("/search?q={searchTerms}", xml.Root!.Elements().Single(e => e.Name.LocalName == "Url" && (string?)e.Attribute("type") == "text/html").Attribute("template")!.Value);
    }
}
