using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;

namespace NewsPortal.Tests.Shared;

/// <summary>A page not found offers a search for the words of the address: an old or mistyped link is mostly a story's slug.</summary>
public sealed class NotFoundPageTests(EditorialFactory factory) : IClassFixture<EditorialFactory>
{
    [Theory]
    [InlineData("/articles/istanbul-peace-talk", "istanbul peace talk")]
    [InlineData("/2025/06/istanbul-peace-talks.html", "istanbul peace talks")]
    [InlineData("/news/T%C3%BCrkiye_se%C3%A7im/", "Türkiye seçim")]
    [InlineData("/articles/%ED%A0%80talks-%FF%FEistanbul", "talks istanbul")]
    [InlineData("/articles/istanbul%2Ftalks", "istanbul talks")]
    [InlineData("/articles/one-two-three-four-five-six-seven-eight-nine-ten", "one two three four five six seven eight")]
    public async Task APageNotFound_OffersASearchForTheWordsOfItsAddress(string path, string words)
    {
        var page = await factory.CreatePlainClient().GetDocumentAsync(path, expectedStatus: 404);

        var link = page.QuerySelector(".error-page a[href^='/search']");
        Assert.NotNull(link);
        Assert.Equal($"/search?q={Uri.EscapeDataString(words)}", link.GetAttribute("href"));
        Assert.Equal($"Search the stories for “{words}”", link.TextContent);
    }

    [Fact]
    public async Task TheOfferedSearch_FindsTheStoryAMistypedLinkMeant()
    {
        var client = factory.CreatePlainClient();
        var missing = await client.GetDocumentAsync("/articles/russia-ukraine-peace-talks-istanbul", expectedStatus: 404);

        var results = await client.GetDocumentAsync(missing.QuerySelector(".error-page a[href^='/search']")!.GetAttribute("href")!);

        Assert.Contains(results.QuerySelectorAll("main a[href^='/articles/']"), a => a.GetAttribute("href") == $"/articles/{Seed.Slug}");
    }

    [Theory]
    [InlineData("/articles/123456")]
    [InlineData("/2025/06/02/")]
    [InlineData("/articles/-_-.")]
    [InlineData("/articles/%C0%AF%ED%A0%80")]
    public async Task AnAddressWithNoWord_OffersNoSearch(string path)
    {
        var page = await factory.CreatePlainClient().GetDocumentAsync(path, expectedStatus: 404);

        Assert.Equal("Page not found", page.TextOf("main h1"));
        Assert.Null(page.QuerySelector(".error-page a[href^='/search']"));
    }

    [Fact]
    public async Task AnAdminPageNotFound_OffersNoSearchOfTheStories()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);

        var page = await editor.GetDocumentAsync("/admin/no-such-page", expectedStatus: 404);

        Assert.Null(page.QuerySelector(".error-page a[href^='/search']"));
    }
}
