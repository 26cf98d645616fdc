using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Import;

namespace NewsPortal.Tests.Articles;

/// <summary>A flood story in a developing story, with stories around it that share more or less with it.</summary>
public sealed class RelatedStoryFactory : EmptyNewsPortalFactory, IAsyncLifetime
{
    public const string Flood = "Two people are killed as flood waters rise in Porto Alegre";

    public async Task InitializeAsync()
    {
        ArticleBuilder Story(string title, int day, string category, string source)
            => new ArticleBuilder().Titled(title).PublishedOn(2026, 5, day).InCategory(category).FromSource(source).WithParagraph("The text.");
        await AddArticleAsync(Story("River levels fall in Bavaria", 1, "Floods", "DW"));
        await AddArticleAsync(Story("Dam holds in Valencia", 5, "Floods", "EFE"));
        await AddArticleAsync(Story("Rescuers reach Porto Alegre suburbs by boat", 9, "Rescue", "Reuters"));
        await AddArticleAsync(Story("Three people are killed in a bus crash in Peru", 9, "Roads", "Andina"));
        await AddArticleAsync(Story(Flood, 10, "Floods", "Agencia Brasil").InThread("Rio Grande do Sul floods"));
        await AddArticleAsync(Story("Porto Alegre airport closes until June", 11, "Transport", "Reuters").InThread("Rio Grande do Sul floods"));
        await AddArticleAsync(Story("Rain eases over the south of Brazil", 12, "Floods", "Agencia Brasil"));
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
}

public sealed class RelatedStoryTests(RelatedStoryFactory factory) : IClassFixture<RelatedStoryFactory>
{
    [Fact]
    public async Task RelatedStories_ShareMoreThanACategoryOrTheWordsOfAllNews_AndAreNotOnesThePageLinksAlready()
    {
        var page = await factory.CreateClient().GetDocumentAsync("/articles/" + NewsPortal.Web.Shared.Slug.From(RelatedStoryFactory.Flood));

        // The developing story's other report and the newer story in the category are linked above; the stories sharing
        // only the category, or only "people" and "killed", are not related.
        Assert.Equal(["Porto Alegre airport closes until June"], page.TextsOf(".more-on-story .timeline a"));
        Assert.Contains("Newer: Rain eases over the south of Brazil", page.TextOf(".neighbours"));
        Assert.Equal(["Rescuers reach Porto Alegre suburbs by boat"], page.TextsOf(".related li a"));
        Assert.Equal("2026-05-09", page.QuerySelector(".related li time")!.GetAttribute("datetime"));
    }
}

/// <summary>
/// A strike at Gdansk in March 2019, with a story of the days before it sharing its source and one of its categories,
/// another sharing the name in its headline, and one of the day before sharing only a common word of it ("strike"); then
/// thirty stories of 2026 sharing its source and category and sixty sharing its name. And a heatwave in July 2019 with a
/// headline in title case, with stories of its days sharing its source, its first word or another of its words. And a
/// cabinet's ceasefire deal in January 2021, after a rival's acceptance of it and sixty stories of an Israeli chef.
/// </summary>
public sealed class ArchiveRelatedStoryFactory : EmptyNewsPortalFactory, IAsyncLifetime
{
    public const string Strike = "Harbour strike halts exports at Gdansk";
    public const string HeatwaveInTitleCase = "Heatwave Grips Southern Europe with Temperatures near Records";
    public const string CeasefireDeal = "Ministers approve the ceasefire deal at an Israeli cabinet meeting";

    public async Task InitializeAsync()
    {
        ArticleBuilder Story(string title, int year, int month, int day) => new ArticleBuilder().Titled(title).PublishedOn(year, month, day).WithParagraph("The text.");
        List<ArticleBuilder> stories =
        [
            Story("Dockworkers vote to walk out", 2019, 3, 8).FromSource("Baltic Wire").InCategory("Labour"),
            Story("Gdansk council meets on budget", 2019, 3, 1).FromSource("City Desk").InCategory("Politics"),
            Story("Stagehands strike at the Vienna opera", 2019, 3, 9).FromSource("Opera News").InCategory("Culture"),
            Story(Strike, 2019, 3, 10).FromSource("Baltic Wire").InCategory("Docks").InCategory("Labour"),
            Story("Storm warning for the Alps", 2019, 7, 8).FromSource("Weather Desk").InCategory("Weather"),
            Story("Southern Baptists meet in Texas", 2019, 7, 9).FromSource("Faith Wire").InCategory("Religion"),
            Story("Heatwave closes schools in Lyon", 2019, 7, 9).FromSource("France Info").InCategory("Education"),
            Story(HeatwaveInTitleCase, 2019, 7, 10).FromSource("Weather Desk").InCategory("Weather"),
            .. Enumerable.Range(1, 30).Select(i => Story($"Union bulletin number {i}", 2026, 4, 1 + (i % 28)).FromSource("Baltic Wire").InCategory("Labour")),
            .. Enumerable.Range(1, 60).Select(i => Story($"Gdansk festival diary {i}", 2026, 5, 1 + (i % 28)).FromSource("City Desk").InCategory("Culture")),
            .. Enumerable.Range(1, 60).Select(i => Story($"Israeli chef wins a baking prize, round {i}", 2021, 1, 1 + (i % 18)).FromSource("Food Wire").InCategory("Food")),
            Story("Hamas accepts the ceasefire deal", 2021, 1, 19).FromSource("Gulf Desk").InCategory("Middle East"),
            Story(CeasefireDeal, 2021, 1, 20).FromSource("Cabinet Wire").InCategory("Politics"),
        ];
        await using var scope = Services.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<ImportService>().ImportDocumentsAsync("test", [.. stories.Select(s => s.Build())]);
        Assert.True(report.Problems.Count == 0, report.ToString());
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
}

public sealed class ArchiveRelatedStoryTests(ArchiveRelatedStoryFactory factory) : IClassFixture<ArchiveRelatedStoryFactory>
{
    [Fact]
    public async Task AStoryFromYearsBack_IsRelatedToTheStoriesOfItsOwnDays_ByItsNamesMoreThanItsCommonWords()
    {
        var page = await factory.CreateClient().GetDocumentAsync("/articles/" + NewsPortal.Web.Shared.Slug.From(ArchiveRelatedStoryFactory.Strike));
        var related = page.TextsOf(".related li a").ToList();

        // Each shares as much with the strike as this year's stories do (its source and a category, or the name in its
        // headline), and is nearer in time: the newest stories of the same source, category or word came first before.
        // A word many headlines hold relates less than a name, however near the day.
        Assert.Equal(["Dockworkers vote to walk out", "Gdansk council meets on budget"], related.Take(2));
        Assert.Equal(5, related.Count);
        Assert.DoesNotContain("Stagehands strike at the Vienna opera", related);
    }

    [Fact]
    public async Task AHeadlineInTitleCase_IsRelatedByEachOfItsWordsAlike_ItsFirstToo()
    {
        var page = await factory.CreateClient().GetDocumentAsync("/articles/" + NewsPortal.Web.Shared.Slug.From(ArchiveRelatedStoryFactory.HeatwaveInTitleCase));

        // Its capitals name nothing, so "Heatwave" (its first word, never a name) relates it as "Southern" does. The
        // story of its source and category is linked above, as the older in its category.
        Assert.Contains("Older: Storm warning for the Alps", page.TextOf(".neighbours"));
        Assert.Equal(["Heatwave closes schools in Lyon", "Southern Baptists meet in Texas"], page.TextsOf(".related li a").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AHeadlineWhoseOnlyCapitalIsANationality_IsRelatedByWhatItIsAbout_NotByEveryStoryOfThatCountry()
    {
        var page = await factory.CreateClient().GetDocumentAsync("/articles/" + NewsPortal.Web.Shared.Slug.From(ArchiveRelatedStoryFactory.CeasefireDeal));

        // "Israeli" names no one thing: taken for a name, it found only the chef's stories, which hold it, and never the
        // deal's other side, which shares no source, category or capital with it.
        Assert.Equal("Hamas accepts the ceasefire deal", page.TextsOf(".related li a").First());
    }
}
