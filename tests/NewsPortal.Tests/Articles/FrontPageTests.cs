using NewsPortal.Tests.Infrastructure;

namespace NewsPortal.Tests.Articles;

/// <summary>
/// 30 stories: the river shows the newest 20, so the older ten are there for the sections; "Storm Ida" is a developing
/// story of three, "A single report" a thread of one.
/// </summary>
public sealed class FrontPageFactory : EmptyNewsPortalFactory, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        for (var i = 1; i <= 30; i++)
        {
            var story = new ArticleBuilder()
                .Titled($"Front story {i:D2}")
                .PublishedOn(2026, 1, i)
                // Story 28's document date is the next day's: a snippet captured after the day it came out.
                .WithDocumentDate(new DateTime(2026, 1, i == 28 ? 29 : i, 7 + (i % 12), 15, 0))
                .InCategory(i % 3 == 0 ? "Weather" : "Politics")
                .FromSource(i % 2 == 0 ? "Reuters" : "AFP")
                .WithParagraph($"Front story {i:D2} opens the report. Officials spoke about it on day {i}.");
            if (i is 27 or 28 or 29)
            {
                story.InThread("Storm Ida");
            }
            else if (i == 26)
            {
                story.InThread("A single report");
            }

            await AddArticleAsync(story);
        }
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
}

public sealed class FrontPageTests(FrontPageFactory factory) : IClassFixture<FrontPageFactory>
{
    [Fact]
    public async Task FrontPage_LeadsWithTheNewestStory_ThenTheRiverWithTimesAndCredits()
    {
        var page = await factory.CreateClient().GetDocumentAsync("/");

        var items = page.QuerySelectorAll(".river > li");
        Assert.Equal(20, items.Length);
        Assert.Equal("lead", items[0].ClassName);
        Assert.Equal("Front story 30", items[0].QuerySelector("h2")!.TextContent.Trim());
        Assert.Equal("Front story 29", items[1].QuerySelector("h2")!.TextContent.Trim());
        // The river shows the time of day of the document date when it is the day published, and its sources as credits.
        Assert.Equal("12:15", items[1].QuerySelector(".time-of-day")!.TextContent.Trim());
        Assert.Null(items.Single(i => i.QuerySelector("h2")!.TextContent.Trim() == "Front story 28").QuerySelector(".time-of-day"));
        Assert.Equal("AFP", items[1].QuerySelector(".credits")!.TextContent.Trim());
        Assert.Equal("Front story 29 opens the report. Officials spoke about it on day 29.", items[1].QuerySelector(".lede")!.TextContent.Trim());
        Assert.NotNull(page.QuerySelector(".river + .pager a[rel=next]"));
    }

    [Fact]
    public async Task FrontPage_RailShowsDevelopingStories_WithTheirNewestHeadline()
    {
        var page = await factory.CreateClient().GetDocumentAsync("/");

        var threads = page.QuerySelectorAll(".rail li");
        var storm = Assert.Single(threads);
        Assert.Equal("Storm Ida", storm.QuerySelector(".thread-name")!.TextContent.Trim());
        Assert.Equal("/threads/storm-ida", storm.QuerySelector(".thread-name")!.GetAttribute("href"));
        Assert.Equal("Front story 29", storm.QuerySelector(".thread-latest")!.TextContent.Trim());
        Assert.Contains("3 stories", storm.TextContent);
        // One story is news, not a developing story.
        Assert.DoesNotContain("A single report", page.QuerySelector(".rail")!.TextContent);
    }

    [Fact]
    public async Task FrontPage_SectionsShowTheBusiestCategories_WithStoriesNotInTheRiver()
    {
        var page = await factory.CreateClient().GetDocumentAsync("/");

        var sections = page.QuerySelectorAll(".sections .section");
        Assert.Equal(["Politics", "Weather"], sections.Select(s => s.QuerySelector("h2")!.TextContent.Trim()));
        var river = page.TextsOf(".river h2").ToHashSet();
        var politics = sections[0].QuerySelectorAll("li a").Select(a => a.TextContent.Trim()).ToList();
        Assert.Equal(["Front story 10", "Front story 08", "Front story 07", "Front story 05"], politics);
        Assert.DoesNotContain(politics, river.Contains);
        Assert.Equal(["Front story 09", "Front story 06", "Front story 03"], sections[1].QuerySelectorAll("li a").Select(a => a.TextContent.Trim()));
    }

    [Fact]
    public async Task OlderPages_AreTheRiverAlone()
    {
        var client = factory.CreateClient();
        var first = await client.GetDocumentAsync("/");
        var older = await client.GetDocumentAsync("/" + first.QuerySelector(".pager a[rel=next]")!.GetAttribute("href"));

        Assert.Equal(10, older.QuerySelectorAll(".headlines h2").Length);
        Assert.Null(older.QuerySelector(".rail"));
        Assert.Null(older.QuerySelector(".sections"));
        Assert.Null(older.QuerySelector(".lead"));
    }
}
