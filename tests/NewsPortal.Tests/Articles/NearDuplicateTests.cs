using System.Net;
using Microsoft.EntityFrameworkCore;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;
using NewsPortal.Web.Articles;

namespace NewsPortal.Tests.Articles;

/// <summary>What counts as one event reported twice.</summary>
public sealed class NearDuplicateRuleTests
{
    private static NearDuplicates.Story Story(string title, string lede = "", string? url = null, int day = 1)
        => new(title, lede, url, new DateOnly(2026, 3, day));

    [Fact]
    public void TwoAgenciesHeadlinesOfOneEvent_AreLikelyDuplicates()
        => Assert.True(NearDuplicates.AreLikely(
            Story("Putin and Zelensky to meet in Istanbul, Kremlin says"),
            Story("Kremlin: Putin, Zelensky will meet in Istanbul", day: 2)));

    [Fact]
    public void FollowUpsOnOneSubject_AreDifferentStories()
        => Assert.False(NearDuplicates.AreLikely(
            Story("Israeli strike kills 20 in Gaza City"),
            Story("Israeli strike kills 12 in Khan Younis")));

    [Fact]
    public void TheSameHeadlineMoreThanTwoDaysApart_IsADifferentStory()
        => Assert.False(NearDuplicates.AreLikely(
            Story("Central bank raises interest rates by half a point"),
            Story("Central bank raises interest rates by half a point", day: 4)));

    [Fact]
    public void OneLinkWrittenTwoWays_IsOneStory()
        => Assert.True(NearDuplicates.AreLikely(
            Story("Harbour reopens", url: "https://www.example.com/news/harbour/?utm_source=feed#top"),
            Story("Boats are back", url: "http://example.com/news/harbour")));

    [Theory]
    [InlineData("https://en.wikipedia.org/wiki/Portal:Current_events/2026_March_1#2026-03-01-015", "https://en.wikipedia.org/wiki/Portal:Current_events/2026_March_1#2026-03-01-016", false)]
    [InlineData("https://news.example.org/live/ukraine#post-1", "https://news.example.org/live/ukraine#post-2", false)]
    [InlineData("https://news.example.org/live/ukraine#post-1", "https://www.news.example.org/live/ukraine/#post-1", true)]
    [InlineData("https://news.example.org/live/ukraine#post-1", "https://news.example.org/live/ukraine", true)]
    [InlineData("https://news.example.org/harbour#:~:text=boats", "https://news.example.org/harbour#:~:text=ferry", true)]
    public void TwoPlacesOnOnePage_AreTwoStories_ButAPageAndAPlaceOnItAreOne(string first, string second, bool oneStory)
        => Assert.Equal(oneStory, NearDuplicates.AreLikely(
            Story("Floods close the main highway north of the capital", url: first),
            Story("Central bank holds interest rates for a third month", url: second)));

    [Fact]
    public void ShortHeadlines_AreNotComparedByWords()
        => Assert.False(NearDuplicates.AreLikely(Story("Live updates"), Story("Live: updates")));

    [Fact]
    public void HeadlinesDifferingInAccentsCaseAndCommonWords_AreOneEvent()
        => Assert.True(NearDuplicates.AreLikely(
            Story("Zelenskyy meets Erdoğan in İstanbul over the ceasefire"),
            Story("ZELENSKYY MEETS ERDOGAN IN ISTANBUL FOR CEASEFIRE")));

    [Theory]
    [InlineData("Israeli strike kills 20 in Gaza City", "Israeli strike kills 12 in Khan Younis")]
    [InlineData("Gaza, Gaza and Gaza again: talks in Cairo", "Talks in Cairo on Gaza")]
    [InlineData("Chile's quake: 7.1 off the coast", "Quake off Chile’s coast measured 7.1")]
    [InlineData("Café owners in Málaga protest", "CAFE OWNERS IN MALAGA PROTEST new rules")]
    [InlineData("", "Storm closes ports")]
    [InlineData("Putin and Zelensky to meet in Istanbul, Kremlin says", "Kremlin: Putin, Zelensky will meet in Istanbul")]
    [InlineData("Ceasefire talks resume in Doha on Monday", "Ceasefire talks resume in Doha")]
    [InlineData("A long headline about the harbour that keeps going with more and more words on the same and other matters, then still more words, word after word, until it is far past what one line of a listing could hold, and then some further words about the harbour", "The harbour reopens to boats after the storm, its owners say, with words on other matters")]
    public void WordsCompared_AreTheShareOfDistinctWordsInBoth(string first, string second)
    {
        var (a, b) = (NearDuplicates.Words(first), NearDuplicates.Words(second));
        var shared = a.Intersect(b).Count();
        var expected = a.Count == 0 || b.Count == 0 ? 0 : (double)shared / (a.Count + b.Count - shared);

        var (x, y) = (NearDuplicates.WordSet.Of(first), NearDuplicates.WordSet.Of(second));
        Assert.Equal(expected, x.Overlap(y), 12);
        Assert.True(x.SharesAtLeast(y, expected));
        Assert.False(x.SharesAtLeast(y, expected + 1e-9));
        Assert.Equal(NearDuplicates.Words(first + " " + second).Count, NearDuplicates.WordSet.Of(first).With(NearDuplicates.WordSet.Of(second)).Count);
    }

    [Fact]
    public void SameWordsInTheLede_MakeOneEventOfDifferentHeadlines()
        => Assert.True(NearDuplicates.AreLikely(
            Story("Quake strikes off the coast of Chile", "A magnitude 7.1 earthquake struck off the coast of northern Chile on Monday, the USGS said."),
            Story("Chile hit by strong earthquake offshore", "A magnitude 7.1 earthquake struck off northern Chile's coast on Monday, according to the USGS.")));
}

/// <summary>Six stories: one event from five agencies, and one outlet's own follow-up.</summary>
public sealed class NearDuplicateFactory : EmptyNewsPortalFactory, IAsyncLifetime
{
    public static readonly string[] Agencies = ["Reuters", "AFP", "Anadolu Agency", "Associated Press", "Xinhua"];

    public async Task InitializeAsync()
    {
        await AddArticleAsync(new ArticleBuilder().Titled("Ferry service resumes across the strait after week of storms")
            .PublishedOn(2026, 3, 1).WithDocumentDate(new DateTime(2026, 3, 1, 6, 0, 0)).InCategory("Transport").FromSource("Reuters")
            .WithParagraph("The ferry line reopened on Sunday."));
        for (var i = 0; i < Agencies.Length; i++)
        {
            await AddArticleAsync(new ArticleBuilder().Titled(i % 2 == 0 ? "Putin and Zelensky to meet in Istanbul, Kremlin says" : "Kremlin: Putin, Zelensky will meet in Istanbul")
                .PublishedOn(2026, 3, 2).WithDocumentDate(new DateTime(2026, 3, 2, 8 + i, 0, 0)).InCategory("Diplomacy").FromSource(Agencies[i])
                .WithParagraph($"Talks are planned for next week ({Agencies[i]})."));
        }

        // Two entries of one day's page of events, each its own story.
        foreach (var (entry, title, source) in new[] { (15, "Floods close the main highway north of the capital", "BBC News"), (16, "Central bank holds interest rates for a third month", "Al Jazeera") })
        {
            await AddArticleAsync(new ArticleBuilder().Titled(title).PublishedOn(2026, 3, 1).WithDocumentDate(new DateTime(2026, 3, 1, 7, entry, 0))
                .InCategory("Events").FromSource(source).WithOriginalUrl($"https://en.wikipedia.org/wiki/Portal:Current_events/2026_March_1#2026-03-01-0{entry}")
                .WithParagraph("One entry of the day's events."));
        }

        await AddArticleAsync(new ArticleBuilder().Titled("Ferry service resumes across the strait after a week of storms")
            .PublishedOn(2026, 3, 2).WithDocumentDate(new DateTime(2026, 3, 2, 18, 0, 0)).InCategory("Transport").FromSource("Reuters")
            .WithParagraph("Update: the first boats have crossed."));
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
}

public sealed class NearDuplicateListingTests(NearDuplicateFactory factory) : IClassFixture<NearDuplicateFactory>
{
    [Fact]
    public async Task OneEventFromFiveAgencies_IsOneHeadline_ReportedByTwoAndThreeMore()
    {
        var page = await factory.CreateClient().GetDocumentAsync("/");

        var istanbul = page.QuerySelectorAll(".river > li").Where(li => li.TextContent.Contains("Istanbul", StringComparison.Ordinal)).ToList();
        var item = Assert.Single(istanbul);
        Assert.Equal("Putin and Zelensky to meet in Istanbul, Kremlin says", item.QuerySelector("h2")!.TextContent.Trim());
        Assert.Equal("Reported by Xinhua, Associated Press and 3 more", item.QuerySelector(".reported")!.TextContent.Normalized()[..^" Anadolu Agency AFP Reuters".Length]);
        // Each outlet links to its own report, the three not named behind "and 3 more".
        var links = item.QuerySelectorAll(".reported a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(5, links.Distinct().Count());
        Assert.Equal(["Anadolu Agency", "AFP", "Reuters"], item.QuerySelectorAll(".reported details li").Select(li => li.TextContent.Trim()));
    }

    [Fact]
    public async Task OneOutletsUpdate_StaysItsOwnHeadline()
    {
        var page = await factory.CreateClient().GetDocumentAsync("/");

        Assert.Equal(2, page.QuerySelectorAll(".river h2").Count(h => h.TextContent.Contains("Ferry service", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task EntriesOfOnePageOfEvents_AreEachTheirOwnHeadline()
    {
        var page = await factory.CreateClient().GetDocumentAsync("/categories/events");

        Assert.Equal(["Central bank holds interest rates for a third month", "Floods close the main highway north of the capital"],
            page.QuerySelectorAll(".headlines > li h2").Select(h => h.TextContent.Trim()));
        Assert.Empty(page.QuerySelectorAll(".reported"));
    }

    [Fact]
    public async Task ACategoryListing_FoldsOneEventToo()
    {
        var page = await factory.CreateClient().GetDocumentAsync("/categories/diplomacy");

        var item = Assert.Single(page.QuerySelectorAll(".headlines > li"));
        Assert.StartsWith("Reported by Xinhua, Associated Press", item.QuerySelector(".reported")!.TextContent.Normalized(), StringComparison.Ordinal);
    }
}

/// <summary>Folding follows what a story says now, not what it said when a listing first compared it.</summary>
public sealed class NearDuplicateEditTests(EditorialFactory factory) : IClassFixture<EditorialFactory>
{
    [Fact]
    public async Task AReportEditedToAnotherEvent_LeavesTheFold_AndEditedBack_JoinsItAgain()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Harbour reopens to ferries after a week of storms").PublishedOn(2026, 3, 1)
            .WithDocumentDate(new DateTime(2026, 3, 1, 9, 0, 0)).InCategory("Transport").FromSource("Reuters").WithParagraph("Boats crossed on Sunday."));
        var slug = await factory.AddArticleAsync(new ArticleBuilder().Titled("Harbour reopens to ferries after week of storms").PublishedOn(2026, 3, 1)
            .WithDocumentDate(new DateTime(2026, 3, 1, 10, 0, 0)).InCategory("Transport").FromSource("AFP").WithParagraph("The first ferry left at dawn."));
        var id = await factory.WithDbAsync(db => db.Articles.Where(a => a.Slug == slug).Select(a => a.Id).SingleAsync());
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var reader = factory.CreateClient();
        async Task<List<string>> RiverAsync() => [.. (await reader.GetDocumentAsync("/")).QuerySelectorAll(".river > li h2").Select(h => h.TextContent.Trim())];
        async Task RetitleAsync(string title)
        {
            using var saved = await editor.SubmitFormAsync($"/admin/articles/edit/{id}", new Dictionary<string, string?> { ["Form.Title"] = title }, "#article-form");
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }

        var folded = await RiverAsync();
        await RetitleAsync("Dockworkers strike over pay at the container port");
        var apart = await RiverAsync();
        await RetitleAsync("Harbour reopens to ferries after week of storms");
        var again = await RiverAsync();

        Assert.Equal(["Harbour reopens to ferries after week of storms"], folded.Where(h => h.Contains("storms", StringComparison.Ordinal)));
        Assert.DoesNotContain("Dockworkers strike over pay at the container port", folded);
        Assert.Contains("Dockworkers strike over pay at the container port", apart);
        Assert.Contains("Harbour reopens to ferries after a week of storms", apart);
        Assert.Equal(folded, again);
    }
}
