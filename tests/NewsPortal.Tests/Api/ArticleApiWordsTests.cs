using System.Net.Http.Json;
using System.Text.Json;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Api;

namespace NewsPortal.Tests.Api;

/// <summary>
/// A store where one word matches more stories than the API's list by words looks through: the newest
/// <see cref="ArticleApiService.TextMatches"/> of them, and one added before them, years older, with a category, source and language of its own.
/// </summary>
public sealed class ManyMatchesFactory : NewsPortalFactory, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        using var folder = new TempFolder();
        var many = folder.Write("wombats.jsonl", string.Join('\n', Enumerable.Range(1, ArticleApiService.TextMatches)
            .Select(i => $$"""{"title":"Wombat census {{i}}","publishedOn":"2025-06-02","body":"Rangers counted wombats."}""")));
        var old = folder.Write("first-wombat-census.jsonl", """
            {"title":"The first wombat census","publishedOn":"2019-03-04","body":"Rangers counted wombats for the first time.","categories":["Burrow desk"],"sources":["Burrow Wire"],"language":"mi"}
            """);
        // The old story first: the newest matches are the ones added last.
        Assert.Equal(1, (await ImportAsync(old)).Imported);
        Assert.Equal(ArticleApiService.TextMatches, (await ImportAsync(many)).Imported);
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
}

public sealed class ArticleApiWordsTests(ManyMatchesFactory factory) : IClassFixture<ManyMatchesFactory>
{
    [Theory]
    [InlineData("category=burrow-desk")]
    [InlineData("source=burrow-wire")]
    [InlineData("language=mi")]
    [InlineData("to=2019-12-31")]
    [InlineData("from=2019-03-04&to=2019-03-04")]
    public async Task AFilterWithWords_FindsAnOldMatchPastTheNewestMatchesOfTheWordsAlone(string filter)
    {
        var page = await factory.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/articles?q=wombat&{filter}");

        Assert.Equal(["the-first-wombat-census"], page.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("slug").GetString()));
        Assert.False(page.TryGetProperty("olderMatchesLeftOut", out _));
    }

    /// <summary>Every page of a list from <paramref name="url"/>, following its <c>nextCursor</c>.</summary>
    public static async Task<List<JsonElement>> PagesAsync(HttpClient client, string url)
    {
        var pages = new List<JsonElement>();
        for (var next = url; next is not null && pages.Count < 20;)
        {
            var page = await client.GetFromJsonAsync<JsonElement>(next);
            pages.Add(page);
            next = page.GetProperty("nextCursor").GetString() is { } cursor ? $"{url}&cursor={Uri.EscapeDataString(cursor)}" : null;
        }

        return pages;
    }

    [Theory]
    [InlineData("q=wombat")]
    [InlineData("q=wombat&from=2019-01-01")]
    public async Task WordsMatchingMoreStoriesThanTheListLooksThrough_SayOnItsLastPageThatOlderMatchesAreLeftOut(string filter)
    {
        var client = factory.CreateClient();

        var pages = await PagesAsync(client, $"/api/v1/articles?{filter}&limit={ArticleApiService.MaxLimit}");
        var few = await client.GetFromJsonAsync<JsonElement>("/api/v1/articles?q=first+wombat");

        var slugs = pages.SelectMany(p => p.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("slug").GetString())).ToList();
        Assert.Equal(ArticleApiService.TextMatches, slugs.Distinct().Count());
        Assert.DoesNotContain("the-first-wombat-census", slugs);
        Assert.True(pages[^1].GetProperty("olderMatchesLeftOut").GetBoolean());
        Assert.All(pages[..^1], p => Assert.False(p.TryGetProperty("olderMatchesLeftOut", out _)));
        Assert.Equal(["the-first-wombat-census"], few.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("slug").GetString()));
        Assert.False(few.TryGetProperty("olderMatchesLeftOut", out _));
    }
}
