using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Infrastructure;

namespace NewsPortal.Tests.Search;

/// <summary>
/// Stories holding one word whose ids lie as far apart as in a store of tens of millions (on PostgreSQL the ids are
/// moved on between stories): the newest blocks of ids are searched first and older ones after, level by level.
/// Some words are only in old stories: a few ("guillemot"), or more than a rare word's reading allows ("fulmar").
/// </summary>
public sealed class SearchDepthFixture : EditorialFactory, IAsyncLifetime
{
    protected override bool KeepsTestExecutionContext => true;

    /// <summary>Ids from the oldest story to the newest, one to a block level or beyond every level.</summary>
    public static readonly int[] Ids = [1, 2_500, 70_000, 1_500_000, 20_000_000, 24_000_000, 24_990_000, 24_999_000, 25_000_000];

    /// <summary>The stories (among the oldest four) that also say "guillemot".</summary>
    public const int Guillemots = 4;

    /// <summary>Stories saying "fulmar", with ids from 100,000: one more than a search of rare words reads.</summary>
    public const int Fulmars = 1_002;

    protected override bool SeedOnStartup => false;

    public SqlCapture Sql { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        Sql.RecordEveryRequest(builder);
    }

    public async Task InitializeAsync()
    {
        _ = Server; // the store is migrated when the site starts
        Store.KeepAutovacuumAway();
        MoveIdsTo(100_000);
        using (var folder = new TempFolder())
        {
            var report = await ImportAsync(folder.Write("fulmars.jsonl", string.Join("\n", Enumerable.Range(1, Fulmars).Select(n =>
                $$"""{"title":"Fulmar colony survey {{n}}","publishedOn":"2024-06-01","body":"Nests counted on the cliffs."}"""))));
            Assert.True(report.Problems.Count == 0, report.ToString());
        }

        for (var i = 0; i < Ids.Length; i++)
        {
            MoveIdsTo(Ids[i]);
            var story = new ArticleBuilder().Titled($"Kittiwake count {i + 1}").PublishedOn(2025, 1, 1 + i);
            await AddArticleAsync(i < Guillemots ? story.WithParagraph("A guillemot was seen too.") : story);
        }

        // Newer than all of them, in the newest block, without the word.
        await AddArticleAsync(new ArticleBuilder().Titled("Harbour notice").PublishedOn(2025, 2, 1).WithParagraph("Berths are free."));
    }

    private void MoveIdsTo(int id)
    {
        if (TestStore.IsPostgres)
        {
            Store.Scalar($"""SELECT setval(pg_get_serial_sequence('"Articles"', 'Id'), {id}, false)""");
        }
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
}

public sealed class SearchDepthTests(SearchDepthFixture factory) : IClassFixture<SearchDepthFixture>
{
    private static readonly string[] NewestFirst = [.. Enumerable.Range(1, SearchDepthFixture.Ids.Length).Reverse().Select(i => $"Kittiwake count {i}")];

    [Fact]
    public async Task ASearch_FindsEveryMatch_HoweverFarBackItsIdLies_EachOnce()
    {
        var page = await factory.CreateClient().GetDocumentAsync("/search?q=kittiwake");

        Assert.Equal(NewestFirst, page.TextsOf(".search-results h2"));
    }

    [Fact]
    public async Task TheApisTextFilter_FindsEveryMatch_HoweverFarBackItsIdLies_EachOnce()
    {
        var found = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/articles?q=kittiwake");

        Assert.Equal(NewestFirst.Select(title => title.ToLowerInvariant().Replace(' ', '-')), found.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("slug").GetString()));
    }

    [Fact]
    public async Task AWordOnlyInOldStories_FindsEachOnce_InOrder()
    {
        var page = await factory.CreateClient().GetDocumentAsync("/search?q=guillemot");

        Assert.Equal(NewestFirst[^SearchDepthFixture.Guillemots..], page.TextsOf(".search-results h2"));
    }

    [Fact]
    public async Task AWordInMoreOldStoriesThanARareWordsReadingTakes_StillFindsTheNewestFirst()
    {
        var page = await factory.CreateClient().GetDocumentAsync("/search?q=fulmar+colony");
        var found = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/articles?q=fulmar");

        string[] newest = [.. Enumerable.Range(0, 20).Select(i => $"Fulmar colony survey {SearchDepthFixture.Fulmars - i}")];
        Assert.Equal(newest, page.TextsOf(".search-results h2"));
        Assert.Equal(newest.Select(t => t.ToLowerInvariant().Replace(' ', '-')), found.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("slug").GetString()));
    }

    /// <summary>
    /// Where PostgreSQL's search spends its reads: a word the newest stories lack, held by few, is asked of the words
    /// alone and no older level is read; one the newest stories hold goes level by level and never asks the words alone.
    /// </summary>
    [PostgresTheory]
    [InlineData("guillemot", true, false)]
    [InlineData("fulmar", true, true)]
    [InlineData("kittiwake", false, true)]
    public async Task ASearch_AsksTheWordsAloneOnlyWhenTheNewestStoriesShowThemRare(string q, bool asksWordsAlone, bool readsOlderLevels)
    {
        CapturedCommand search;
        using (var capture = factory.Sql.Begin())
        {
            using var response = await factory.CreateClient().GetAsync($"/search?q={q}");
            search = Assert.Single(capture.Commands, c => c.Sql.Contains("\"Sparse\"", StringComparison.Ordinal));
        }

        var plan = await QueryPlans.AnalyzeAsync(factory.Store.ConnectionString, search);

        Assert.Equal(asksWordsAlone, QueryPlans.Ran(plan, "CTE Sparse"));
        Assert.True(QueryPlans.Ran(plan, "CTE Level2"));
        Assert.Equal(readsOlderLevels, QueryPlans.Ran(plan, "CTE Level3"));
    }

    /// <summary>
    /// PostgreSQL plans a prepared statement for its arguments five times, then once for all if that plan looks as
    /// cheap. With the limits passed as arguments the plan for all looked costlier at 1,000,000 stories, so every
    /// search was planned again (2.5 ms of its 14 in the store); only the reader's words and the marking options go as
    /// arguments now, and the plan is kept. (This fixture is too small for PostgreSQL to tell the two apart.)
    /// </summary>
    [PostgresTheory]
    [InlineData("/search?q=kittiwake&page=1")]
    [InlineData("/search?q=kittiwake+-count&page=2")]
    [InlineData("/search?q=kittiwake&sort=newest")]
    public async Task ASearchPassesNoNumberAsAnArgument_SoItsPlanIsKeptForEveryRequest(string url)
    {
        List<CapturedCommand> searches;
        using (var capture = factory.Sql.Begin())
        {
            using var response = await factory.CreateClient().GetAsync(url);
            searches = [.. capture.Commands.Where(c => c.Sql.Contains("\"Match\"", StringComparison.Ordinal))];
        }

        Assert.NotEmpty(searches);
        Assert.All(searches, search => Assert.DoesNotContain(search.Parameters, p => p.Value is int or long));
    }

    [Theory]
    [InlineData("berths")]
    [InlineData("kittiwake -count")]
    [InlineData("puffin")]
    public async Task ASearch_FindsOnlyStoriesHoldingItsWords_NotEveryStoryInTheNewestBlocks(string q)
    {
        var page = await factory.CreateClient().GetDocumentAsync($"/search?q={Uri.EscapeDataString(q)}");

        Assert.Equal(q == "berths" ? ["Harbour notice"] : [], page.TextsOf(".search-results h2"));
    }
}
