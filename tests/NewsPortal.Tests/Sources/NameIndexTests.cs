using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;

namespace NewsPortal.Tests.Sources;

/// <summary>The sources' and categories' indexes at a newsroom's size: A–Z, a box to find a name, a page at a time.</summary>
public sealed class NameIndexTests(NewsPortalFactory factory) : IClassFixture<NewsPortalFactory>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        // More sources starting with R than a page holds, a few others, some with accents, and two outside A–Z.
        // A story names at most 50 sources, so the many are spread over several stories.
        foreach (var part in Enumerable.Range(1, NameIndex.PageSize + 5).Chunk(50))
        {
            var story = new ArticleBuilder().Titled($"A story from many agencies, part {part[0]}").PublishedOn(2031, 9, 1).InCategory("Name index checks");
            await factory.AddArticleAsync(part.Aggregate(story, (b, i) => b.FromSource($"Radio {i:D3}")));
        }

        await factory.AddArticleAsync(new ArticleBuilder().Titled("A story from many agencies").PublishedOn(2031, 9, 1).InCategory("Name index checks").FromSource("Reuters").FromSource("AFP").FromSource("Ötv").FromSource("3sat")
            .FromSource("Ostsee Zeitung").FromSource("Eagle Post").FromSource("Élysée Wire").FromSource("Ezra Herald")
            .FromSource("Çağdaş Haber").FromSource("Хабар 24"));
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

    private static string[] Names(AngleSharp.Dom.IDocument page) => page.TextsOf(".index-list li a");

    [Fact]
    public async Task ALetter_ListsItsNamesAPageAtATime_AndMoreLeadsToTheRest()
    {
        var client = factory.CreateClient();
        var first = await client.GetDocumentAsync("/sources?letter=r");
        var more = first.QuerySelector(".pager a[rel=next]")!.GetAttribute("href")!;
        var second = await client.GetDocumentAsync(more);

        Assert.Equal(NameIndex.PageSize, Names(first).Length);
        // The position is the last name shown, as a reader could type it.
        Assert.Equal($"/sources?letter=r&after={Uri.EscapeDataString(Names(first)[^1].ToLowerInvariant())}", more);
        Assert.All(Names(first).Concat(Names(second)), name => Assert.StartsWith("R", name, StringComparison.Ordinal));
        Assert.Equal(NameIndex.PageSize + 6, Names(first).Concat(Names(second)).Distinct().Count());
        Assert.Contains("Reuters", Names(second));
        Assert.Null(second.QuerySelector(".pager a[rel=next]"));
        Assert.Equal("R", first.TextOf(".a-z [aria-current]"));
    }

    [Fact]
    public async Task FindingByTheStartOfAName_ListsOnlyThose_AndOtherHoldsWhatAToZDoesNot()
    {
        var client = factory.CreateClient();
        var found = await client.GetDocumentAsync("/sources?q=REU");
        var other = await client.GetDocumentAsync("/sources?letter=other");
        var none = await client.GetDocumentAsync("/sources?q=zzz");

        Assert.Equal(["Reuters"], Names(found));
        Assert.Equal("REU", found.QuerySelector("#name-find-q")!.GetAttribute("value"));
        Assert.Equal(["3sat", "Хабар 24"], Names(other));
        Assert.Contains("No sources start with “zzz”", none.TextOf(".empty"));
    }

    [Fact]
    public async Task AccentedNames_FileUnderTheirLetterInItsOrder_AndAreFoundWithOrWithoutTheirAccents()
    {
        var client = factory.CreateClient();

        Assert.Equal(["Eagle Post", "Élysée Wire", "Ezra Herald"], Names(await client.GetDocumentAsync("/sources?letter=e")));
        Assert.Equal(["Ostsee Zeitung", "Ötv"], Names(await client.GetDocumentAsync("/sources?letter=o")));
        Assert.Equal(["Çağdaş Haber"], Names(await client.GetDocumentAsync("/sources?letter=c")));
        Assert.Equal(["Élysée Wire"], Names(await client.GetDocumentAsync("/sources?q=ely")));
        Assert.Equal(["Élysée Wire"], Names(await client.GetDocumentAsync("/sources?q=%C3%89LY")));
        Assert.Equal(["Çağdaş Haber"], Names(await client.GetDocumentAsync("/sources?q=cagdas")));
    }

    [Fact]
    public async Task NamesStoredBeforeTheirIndexKey_AreFiledWhenTheSiteStarts()
    {
        // Read from the store, not the site: the pages this test would see part-way must not stay in the output cache.
        Task<string[]> UnderO() => factory.WithDbAsync(async db => (await NameIndex.ReadAsync(db.Sources, "o", null, null, CancellationToken.None)).Items.Select(n => n.Name).ToArray());
        await factory.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("""UPDATE "Sources" SET "IndexKey" = ''"""));
        var before = await UnderO();

        await DatabaseInitializer.InitializeAsync(factory.Services, seed: false);

        Assert.Empty(before);
        Assert.Equal(["Ostsee Zeitung", "Ötv"], await UnderO());
        Assert.Equal(0, await factory.WithDbAsync(db => db.Sources.CountAsync(s => s.IndexKey == "")));
    }

    [Fact]
    public async Task NoIndexPage_ListsEveryName()
    {
        var all = await factory.CreateClient().GetDocumentAsync("/sources");

        Assert.Equal(NameIndex.PageSize, Names(all).Length);
        Assert.NotNull(all.QuerySelector(".pager a[rel=next]"));
    }

    [Fact]
    public async Task TheApiListsNames_APageAtATime_WithTheNextPageInTheLinkHeader()
    {
        var client = factory.CreateClient();
        using var first = await client.GetAsync("/api/v1/sources?letter=r");
        var next = first.Headers.GetValues("Link").Single();
        var nextUrl = next[(next.IndexOf('<') + 1)..next.IndexOf('>')];
        using var second = await client.GetAsync(nextUrl);
        using var bad = await client.GetAsync("/api/v1/categories?letter=%C3%A9");

        var names = (await first.Content.ReadFromJsonAsync<List<JsonElement>>())!.Concat((await second.Content.ReadFromJsonAsync<List<JsonElement>>())!)
            .Select(n => n.GetProperty("name").GetString()).ToList();
        Assert.Equal(NameIndex.PageSize + 6, names.Distinct().Count());
        Assert.Contains("Reuters", names);
        Assert.False(second.Headers.Contains("Link"));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/sources?letter=aa")]
    [InlineData("/categories?letter=%C3%A9")]
    public async Task AnUnknownLetter_IsA400ThatSaysSo(string url)
    {
        var page = await factory.CreateClient().GetDocumentAsync(url, expectedStatus: 400);

        Assert.Contains("letter must be one of a to z", page.Body!.TextContent);
    }
}
