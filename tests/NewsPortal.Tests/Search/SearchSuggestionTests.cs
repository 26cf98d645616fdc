using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Infrastructure;

namespace NewsPortal.Tests.Search;

/// <summary>Stories in a developing story, a category and from a source whose names share the word "Ukraine"; one with a name in its headline.</summary>
public sealed class SearchSuggestionFactory : EmptyNewsPortalFactory, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        for (var i = 1; i <= 3; i++)
        {
            await AddArticleAsync(new ArticleBuilder().Titled($"Grain corridor talks, round {i}").PublishedOn(2026, 2, i)
                .InCategory("Ukraine").FromSource("Kyiv Independent").InThread("Russian invasion of Ukraine")
                .WithParagraph($"Negotiators met in Ukraine for round {i}."));
        }

        await AddArticleAsync(new ArticleBuilder().Titled("Zelensky visits the harvest in Odesa").PublishedOn(2026, 2, 5).InCategory("Culture").FromSource("Reuters")
            .WithParagraph("The president toured the port."));
        await AddArticleAsync(new ArticleBuilder().Titled("Harvest festival opens").PublishedOn(2026, 2, 4).InCategory("Culture").FromSource("Reuters")
            .WithParagraph("Crowds gathered in the square."));
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
}

public sealed class SearchSuggestionTests(SearchSuggestionFactory factory) : IClassFixture<SearchSuggestionFactory>
{
    [Fact]
    public async Task AMisspeltSearch_OffersTheWordAsTheSiteSpellsIt_AndTheNamesItTouches()
    {
        var page = await factory.CreateClient().GetDocumentAsync("/search?q=ukriane");

        Assert.Equal("0 results", page.TextOf(".count"));
        Assert.Equal("Did you mean ukraine?", page.TextOf(".did-you-mean"));
        Assert.Equal("?q=ukraine", page.QuerySelector(".did-you-mean a")!.GetAttribute("href"));
        Assert.Equal(["Developing stories: Russian invasion of Ukraine", "Categories: Ukraine"], page.TextsOf(".related-names").Select(t => t.Normalized()));
        Assert.Equal("/threads/russian-invasion-of-ukraine", page.QuerySelector(".related-names a")!.GetAttribute("href"));
    }

    [Fact]
    public async Task TheSuggestedSearch_FindsTheStories()
    {
        var client = factory.CreateClient();
        var miss = await client.GetDocumentAsync("/search?q=ukriane&sort=newest");

        var found = await client.GetDocumentAsync("/search" + miss.QuerySelector(".did-you-mean a")!.GetAttribute("href"));

        Assert.Equal("3 results", found.TextOf(".count"));
        Assert.Null(found.QuerySelector(".no-results"));
    }

    [Fact]
    public async Task OperatorsAndRightWords_AreKeptAsTyped_OnlyTheSlipIsRespelt()
    {
        var page = await factory.CreateClient().GetDocumentAsync("/search?q=" + Uri.EscapeDataString("grain ukriane source:reuters"));

        Assert.Equal("Did you mean grain ukraine source:reuters?", page.TextOf(".did-you-mean"));
    }

    [Fact]
    public async Task AMisspeltNameFromTheNews_IsRespeltAsTheHeadlinesSpellIt()
    {
        var client = factory.CreateClient();
        var miss = await client.GetDocumentAsync("/search?q=zelenksy");

        var found = await client.GetDocumentAsync("/search" + miss.QuerySelector(".did-you-mean a")!.GetAttribute("href"));

        Assert.Equal("Did you mean zelensky?", miss.TextOf(".did-you-mean"));
        Assert.Equal(["Zelensky visits the harvest in Odesa"], found.TextsOf(".search-results h2"));
    }

    [Fact]
    public async Task ASearchLikeNothingOnTheSite_PointsToTheWaysToBrowse()
    {
        var page = await factory.CreateClient().GetDocumentAsync("/search?q=qzxwv");

        Assert.Null(page.QuerySelector(".did-you-mean"));
        Assert.Empty(page.QuerySelectorAll(".related-names"));
        Assert.Contains("Try fewer or other words", page.TextOf(".no-results"));
    }
}

/// <summary>The names a miss is matched against, on a site whose clock is not the machine's (set back months, as the tests' is).</summary>
public sealed class SearchSuggestionCacheTests(EditorialFactory factory) : IClassFixture<EditorialFactory>
{
    [Fact]
    public async Task TheNamesAMissIsMatchedAgainst_AreReadOnce_AndKeptForTheNextMiss()
    {
        using var miss = await factory.CreateClient().GetAsync("/search?q=ukriane");

        Assert.Equal(System.Net.HttpStatusCode.OK, miss.StatusCode);
        Assert.True(factory.Services.GetRequiredService<Microsoft.Extensions.Caching.Memory.IMemoryCache>()
            .TryGetValue(NewsPortal.Web.Search.SearchSuggestions.CacheKey, out _));
    }
}
