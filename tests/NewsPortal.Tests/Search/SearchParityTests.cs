using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Infrastructure;

namespace NewsPortal.Tests.Search;

/// <summary>
/// Stories whose words one store could split, join or run together where the other does not, with every command the
/// app sends recorded.
/// </summary>
public sealed class SearchParityFixture : EditorialFactory, IAsyncLifetime
{
    protected override bool KeepsTestExecutionContext => true;

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
        await AddArticleAsync(new ArticleBuilder().Titled("Harbour reopens").PublishedOn(2025, 3, 1)
            .WithParagraph("Tomorrow the ferries return.")
            .WithParagraph("Tickets are sold at the well-known kiosk; details at example.com or by e-mail, from 9.30 each day."));
        await AddArticleAsync(new ArticleBuilder().Titled("Ferries and harbours of the north").PublishedOn(2025, 2, 1)
            .WithParagraph("Many harbours, one ferry timetable."));
        var before = string.Join(" ", Enumerable.Range(1, 60).Select(i => $"filler{i}"));
        await AddArticleAsync(new ArticleBuilder().Titled("Long read on lighthouses").PublishedOn(2025, 1, 1)
            .WithParagraph($"{before} the lantern was lit again {before}."));
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
}

/// <summary>What both stores must agree on, and (on PostgreSQL) that its searches read the GIN index.</summary>
public sealed class SearchParityTests(SearchParityFixture factory) : IClassFixture<SearchParityFixture>
{
    private async Task<AngleSharp.Dom.IDocument> SearchAsync(string q)
        => await factory.CreateClient().GetDocumentAsync($"/search?q={Uri.EscapeDataString(q)}");

    [Theory]
    [InlineData("example")]
    [InlineData("com")]
    [InlineData("mail")]
    [InlineData("e-mail")]
    [InlineData("\"well known\"")]
    [InlineData("well-known")]
    [InlineData("9 30")]
    [InlineData("kiosk;")]
    public async Task WordsJoinedByPunctuation_AreFoundOneByOne(string q)
    {
        Assert.Equal(["Harbour reopens"], (await SearchAsync(q)).TextsOf(".search-results h2"));
    }

    [Theory]
    [InlineData("\"reopens tomorrow\"", new string[0])]
    [InlineData("\"return tomorrow\"", new string[0])]
    [InlineData("\"ferries return\"", new[] { "Harbour reopens" })]
    public async Task APhrase_LiesWithinTheHeadlineTheFirstParagraphOrTheText_NeverAcrossThem(string q, string[] titles)
    {
        Assert.Equal(titles, (await SearchAsync(q)).TextsOf(".search-results h2"));
    }

    [Fact]
    public async Task HeadlineMatches_ComeBeforeNewerStoriesWithTheWordFurtherDown()
    {
        Assert.Equal(["Ferries and harbours of the north", "Harbour reopens"], (await SearchAsync("ferries")).TextsOf(".search-results h2"));
    }

    [Fact]
    public async Task AMatchDeepInALongText_IsShownInAPassageCutAtBothEnds()
    {
        var page = await SearchAsync("lantern");

        var snippet = page.QuerySelector(".search-results .lede")!;
        Assert.Equal(["lantern"], snippet.QuerySelectorAll("mark").Select(m => m.TextContent));
        Assert.StartsWith("…", snippet.TextContent);
        Assert.EndsWith("…", snippet.TextContent);
        Assert.Contains("the lantern was lit again", snippet.TextContent);
    }

    [PostgresTheory]
    [InlineData("/search?q=ferries", "SearchVector")]
    [InlineData("/search?q=%22ferries+return%22+-timetable", "SearchVector")]
    [InlineData("/api/v1/articles?q=ferries", "SearchVector")]
    public async Task AWordSearch_ReadsAGinIndex(string url, string vector)
    {
        List<CapturedCommand> commands;
        using (var capture = factory.Sql.Begin())
        {
            using var response = await factory.CreateClient().GetAsync(url);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            commands = [.. capture.Commands.Where(c => c.Sql.Contains($"\"{vector}\" @@", StringComparison.Ordinal))];
        }

        // The API's last page by words asks a second time, whether older matches were left out: from the index too.
        Assert.InRange(commands.Count, 1, 2);
        foreach (var search in commands)
        {
            var plan = await QueryPlans.ExplainAsync(factory.Store.ConnectionString, search);
            Assert.True(plan.Contains($"Bitmap Index Scan on \"IX_Articles_{vector}\"", StringComparison.Ordinal), $"{search.Sql}\n\n{plan}");
        }
    }

    [PostgresFact]
    public async Task RelatedStories_ReadEachHeadlineWordsNewestStoriesFromAnIndex_NotEveryStoryHoldingIt()
    {
        List<CapturedCommand> commands;
        using (var capture = factory.Sql.Begin())
        {
            await factory.CreateClient().GetDocumentAsync("/articles/harbour-reopens");
            commands = [.. capture.Commands.Where(c => c.Sql.Contains("\"HeadlineWords\"", StringComparison.Ordinal))];
        }

        // What is ruled out is what a few rows would favour: a bitmap of every story holding the word, sorted after.
        var plan = await QueryPlans.ExplainAsync(factory.Store.ConnectionString, Assert.Single(commands), "enable_bitmapscan", "enable_sort");
        Assert.True(plan.Contains("Index Only Scan Backward using \"PK_HeadlineWords\"", StringComparison.Ordinal), plan);
        Assert.DoesNotContain("Bitmap", plan, StringComparison.Ordinal);
    }
}

/// <summary>One story holding, a paragraph each, two made-up words joined by each ASCII punctuation character in turn.</summary>
public sealed class PunctuationFixture : EditorialFactory, IAsyncLifetime
{
    public const string Characters = """!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~""";

    protected override bool SeedOnStartup => false;

    // A paragraph each, so that no two characters pair up as Markdown (emphasis, a link, a tag) and leave the text.
    public async Task InitializeAsync()
        => await AddArticleAsync(Characters.Select((c, i) => $"left{i}{c}right{i}")
            .Aggregate(new ArticleBuilder().Titled("Punctuation between words").PublishedOn(2025, 3, 1), (story, paragraph) => story.WithParagraph(paragraph)));

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
}

public sealed class PunctuationSearchTests(PunctuationFixture factory) : IClassFixture<PunctuationFixture>
{
    public static TheoryData<int> Characters => [.. Enumerable.Range(0, PunctuationFixture.Characters.Length)];

    [Theory]
    [MemberData(nameof(Characters))]
    public async Task WordsJoinedByAnyAsciiPunctuation_AreEachFoundAlone(int character)
    {
        var client = factory.CreateClient();

        foreach (var word in new[] { $"left{character}", $"right{character}" })
        {
            var page = await client.GetDocumentAsync($"/search?q={word}");
            Assert.True(page.TextsOf(".search-results h2").SequenceEqual(["Punctuation between words"]),
                $"'{word}' of left{character}{PunctuationFixture.Characters[character]}right{character} found nothing");
        }
    }
}
