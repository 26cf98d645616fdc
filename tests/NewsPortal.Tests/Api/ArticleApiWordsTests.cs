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
    }
}
