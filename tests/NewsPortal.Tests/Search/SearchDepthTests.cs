using System.Net.Http.Json;
using System.Text.Json;
using NewsPortal.Tests.Infrastructure;

namespace NewsPortal.Tests.Search;

/// <summary>
/// Stories holding one word whose ids lie as far apart as in a store of tens of millions (on PostgreSQL the ids are
/// moved on between stories): the newest blocks of ids are searched first and older ones after, level by level.
/// </summary>
public sealed class SearchDepthFixture : EditorialFactory, IAsyncLifetime
{
    /// <summary>Ids from the oldest story to the newest, one to a block level or beyond every level.</summary>
    public static readonly int[] Ids = [1, 2_500, 70_000, 1_500_000, 20_000_000, 24_000_000, 24_990_000, 24_999_000, 25_000_000];

    protected override bool SeedOnStartup => false;

    public async Task InitializeAsync()
    {
        _ = Server; // the store is migrated when the site starts
        for (var i = 0; i < Ids.Length; i++)
        {
            MoveIdsTo(Ids[i]);
            await AddArticleAsync(new ArticleBuilder().Titled($"Kittiwake count {i + 1}").PublishedOn(2025, 1, 1 + i));
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
