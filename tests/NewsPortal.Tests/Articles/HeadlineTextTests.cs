using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Api;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;
using NewsPortal.Web.Articles;

namespace NewsPortal.Tests.Articles;

/// <summary>Headlines are text wherever they show, and a listing does not say its headline twice.</summary>
public sealed class HeadlineTextTests(EditorialFactory factory) : IClassFixture<EditorialFactory>
{
    [Fact]
    public async Task MarkdownInAnImportedHeadline_ShowsAsItsText_InListingsTheTabAndFeeds()
    {
        var slug = await factory.AddArticleAsync(new ArticleBuilder()
            .Titled("Italy demands the release of *Il Foglio* reporter, says [AP](https://apnews.com)").PublishedOn(2031, 5, 1)
            .WithParagraph("Rome summons the ambassador."));

        var client = factory.CreateClient();
        var article = await client.GetDocumentAsync($"/articles/{slug}");
        var home = await client.GetDocumentAsync("/");
        var feed = await client.GetStringAsync("/feed.atom");
        var atom = System.Xml.Linq.XNamespace.Get("http://www.w3.org/2005/Atom");
        var entries = System.Xml.Linq.XDocument.Parse(feed).Descendants(atom + "entry").Select(e => e.Element(atom + "title")!.Value);

        const string Headline = "Italy demands the release of Il Foglio reporter, says AP";
        Assert.Equal(Headline, article.TextOf("main h1"));
        Assert.StartsWith(Headline, article.Title);
        Assert.Contains(Headline, home.TextsOf(".headlines h2"));
        Assert.Contains(Headline, entries);
        Assert.DoesNotContain("*Il Foglio*", feed);
    }

    [Fact]
    public async Task MarkdownTypedIntoAHeadlineThroughTheApi_IsKeptAsText()
    {
        var api = await factory.TokenClientAsync(Roles.Editor);

        using var created = await api.PostAsJsonAsync("/api/v1/articles",
            new { title = "Storm _Éowyn_ reaches **Ireland**", body = "Winds of 180 km/h.", publishedOn = "2031-05-02", status = "Published" });
        var story = await created.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("Storm Éowyn reaches Ireland", story.GetProperty("title").GetString());
    }

    [Fact]
    public async Task AListingShowsTheLede_WithoutTheHeadlineItOpensWith()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Volcano erupts on Iceland's Reykjanes peninsula.").PublishedOn(2031, 6, 1)
            .InCategory("Lede check").WithParagraph("Volcano erupts on Iceland's Reykjanes peninsula. Grindavik is evacuated again. (RÚV)"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Markets close higher.").PublishedOn(2031, 6, 2)
            .InCategory("Lede check").WithParagraph("Markets close higher. (Reuters)"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Rain").PublishedOn(2031, 6, 3)
            .InCategory("Lede check").WithParagraph("Rainfall records fall across the north."));

        var listing = await factory.CreateClient().GetDocumentAsync("/categories/lede-check");
        var cards = listing.QuerySelectorAll(".headlines article").ToDictionary(c => c.QuerySelector("h2")!.TextContent.Trim(), c => c.QuerySelector(".lede")?.TextContent.Trim());

        Assert.Equal("Grindavik is evacuated again. (RÚV)", cards["Volcano erupts on Iceland's Reykjanes peninsula."]);
        Assert.Null(cards["Markets close higher."]);
        // "Rain" is not the first word of "Rainfall": the lede is shown whole.
        Assert.Equal("Rainfall records fall across the north.", cards["Rain"]);
    }

    [Fact]
    public async Task AHeadlineStoredWithMarkdownBeforeThisRelease_BecomesTextInTheBackground_AndItsPagesChange()
    {
        var slug = await factory.AddArticleAsync(new ArticleBuilder().Titled("Tanker Eagle S impounded").PublishedOn(2031, 7, 1)
            .WithParagraph("Finland holds the tanker."));
        const string Stored = "Tanker *Eagle S* impounded";
        // As an older release left it: the headline with its Markdown, and the importer's key made from that.
        await factory.WithDbAsync(db => db.Database.ExecuteSqlAsync(
            $"""UPDATE "Articles" SET "Title" = {Stored}, "TitleKey" = {MatchKeys.ForTitle(Stored, null, new DateOnly(2031, 7, 1))} WHERE "Slug" = {slug}"""));
        var client = factory.CreateClient();
        var before = (await client.GetDocumentAsync($"/articles/{slug}")).TextOf("main h1");

        await factory.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(BodyRenderer.HeadlinesWithMarkdown));
        while (await factory.Services.GetRequiredService<BodyRenderer>().RenderBatchAsync() > 0)
        {
        }

        var after = (await client.GetDocumentAsync($"/articles/{slug}")).TextOf("main h1");
        var key = await factory.WithDbAsync(db => db.Articles.Where(a => a.Slug == slug).Select(a => a.TitleKey).SingleAsync());

        Assert.Equal(Stored, before);
        Assert.Equal("Tanker Eagle S impounded", after);
        Assert.Equal(MatchKeys.ForTitle("Tanker Eagle S impounded", null, new DateOnly(2031, 7, 1)), key);
    }

    [Fact]
    public async Task ABodyWhoseTextLostALoneBracketBeforeThisRelease_IsFoundByTheWordAfterIt_AndItsLedeShowsIt_OnceRenderedAgain()
    {
        var slug = await factory.AddArticleAsync(new ArticleBuilder().Titled("Shelling resumes south of the city").PublishedOn(2031, 7, 2).InCategory("Bracket check")
            .WithParagraph("Fighting resumed in Khanfar[Quillbrook reported shelling].")
            .WithParagraph("Talks in Cairo stall, and [the agreement](https://example.org/deal) lapsed."));
        var summarised = await factory.AddArticleAsync(new ArticleBuilder().Titled("Crossing reopens").PublishedOn(2031, 7, 1).InCategory("Bracket check")
            .WithParagraph("The crossing at Khanfar[Quillbrook gate reopens."));
        var linked = await factory.AddArticleAsync(new ArticleBuilder().Titled("Truce holds").PublishedOn(2031, 7, 3)
            .WithParagraph("The [truce](https://example.org/truce) holds, reports [Quillbrook](https://example.org/q)."));
        // As a release before 2026-12-02 stored them: the plain text and the lede made from it without the '[' that
        // opens no link, so the two words were indexed as one. One story's lede is its editor's summary.
        await factory.WithDbAsync(db => db.Database.ExecuteSqlAsync(
            $"""
            UPDATE "Articles" SET "BodyText" = replace("BodyText", 'Khanfar[', 'Khanfar'), "Lede" = replace("Lede", 'Khanfar[', 'Khanfar')
            WHERE "Slug" IN ({slug}, {summarised})
            """));
        await factory.WithDbAsync(db => db.Database.ExecuteSqlAsync(
            $"""UPDATE "Articles" SET "Summary" = 'Gate reopened, says the editor.', "Lede" = 'Gate reopened, says the editor.' WHERE "Slug" = {summarised}"""));
        var client = factory.CreateClient();
        var before = (await client.GetDocumentAsync("/search?q=Quillbrook")).TextsOf(".search-results h2");

        var onlyThese = BodyRenderer.BodiesWithLoneBrackets + """ AND "Slug" IN ({0}, {1}, {2})""";
        var handedOver = await factory.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(onlyThese, slug, summarised, linked));
        while (await factory.Services.GetRequiredService<BodyRenderer>().RenderBatchAsync() > 0)
        {
        }

        var after = (await client.GetDocumentAsync("/search?q=Quillbrook")).TextsOf(".search-results h2");
        var ledes = (await client.GetDocumentAsync("/categories/bracket-check")).QuerySelectorAll(".headlines article")
            .ToDictionary(c => c.QuerySelector("h2")!.TextContent.Trim(), c => c.QuerySelector(".lede")?.TextContent.Trim());
        // Only the stories with a bracket that opens no link are rendered again, not every story with a link.
        Assert.Equal(2, handedOver);
        Assert.Equal(["Truce holds"], before);
        Assert.Equal(["Crossing reopens", "Shelling resumes south of the city", "Truce holds"], after.Order());
        Assert.Equal("Fighting resumed in Khanfar[Quillbrook reported shelling].", ledes["Shelling resumes south of the city"]);
        Assert.Equal("Gate reopened, says the editor.", ledes["Crossing reopens"]);
    }

    [Fact]
    public async Task LongBodies_AreRenderedAFewAtATime_AndAllOfThemAreRendered()
    {
        var slugs = new List<string>();
        foreach (var i in Enumerable.Range(1, 8))
        {
            slugs.Add(await factory.AddArticleAsync(new ArticleBuilder().Titled($"Long rendered body {i}").PublishedOn(2031, 8, i)
                .WithParagraph(string.Concat(Enumerable.Repeat("The longest report runs on. ", 7_000)))));
        }

        // What imports left to the renderer (these and the stories the tests before added) rendered first, so that the
        // first batch is of these bodies alone.
        var renderer = factory.Services.GetRequiredService<BodyRenderer>();
        while (await renderer.RenderBatchAsync() > 0)
        {
        }

        await factory.WithDbAsync(db => db.Articles.Where(a => slugs.Contains(a.Slug)).ExecuteUpdateAsync(a => a.SetProperty(x => x.BodyHtml, (string?)null)));

        // 196,000 characters each: a batch stops once the bodies before a story pass a million characters.
        var first = await renderer.RenderBatchAsync();
        while (await renderer.RenderBatchAsync() > 0)
        {
        }

        Assert.True(first <= 6, $"{first} long bodies were rendered in one batch");
        Assert.Equal(8, await factory.WithDbAsync(db => db.Articles.CountAsync(a => slugs.Contains(a.Slug) && a.BodyHtml != null && a.BodyHtml.Contains("longest report"))));
    }
}
