using NewsPortal.Tests.Infrastructure;

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
    }
}
