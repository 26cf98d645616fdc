using System.Net;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;

namespace NewsPortal.Tests.Admin;

public sealed class NamesAdminTests(EditorialFactory factory) : IClassFixture<EditorialFactory>, IDisposable
{
    private readonly TempFolder _input = new();

    public void Dispose() => _input.Dispose();

    [Fact]
    public async Task MergingTwoSources_MovesTheirArticles_AndTheOldSlugRedirectsPermanently()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Merge story one").FromSource("AP"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Merge story two").FromSource("Associated Press"));
        var editor = await factory.SignedInClientAsync(Roles.Editor);

        using var merge = await editor.SubmitFormAsync("/admin/sources", new Dictionary<string, string?>
        {
            ["fromId"] = await editor.NameIdAsync("sources", "AP"),
            ["intoId"] = await editor.NameIdAsync("sources", "Associated Press"),
        }, "form[action*='handler=Merge']");
        using var redirect = await factory.CreatePlainClient().GetAsync("/sources/ap");
        var merged = await factory.CreateClient().GetDocumentAsync("/sources/associated-press");

        Assert.Equal(HttpStatusCode.Redirect, merge.StatusCode);
        Assert.Equal(HttpStatusCode.MovedPermanently, redirect.StatusCode);
        Assert.Equal("/sources/associated-press", redirect.Headers.Location!.OriginalString);
        Assert.Equal(["Merge story two", "Merge story one"], merged.TextsOf(".headlines h2"));
    }

    [Fact]
    public async Task AfterAMerge_ImportsOfTheOldNameLandInTheSurvivor()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Alias story one").FromSource("AFP"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Alias story two").FromSource("Agence France-Presse"));
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        await editor.SubmitFormAsync("/admin/sources", new Dictionary<string, string?>
        {
            ["fromId"] = await editor.NameIdAsync("sources", "AFP"),
            ["intoId"] = await editor.NameIdAsync("sources", "Agence France-Presse"),
        }, "form[action*='handler=Merge']");

        await factory.ImportAsync(_input.Write("afp.txt", TempFolder.Snippet("Alias story three", extraHeaders: "Sources afp")));
        var page = await factory.CreateClient().GetDocumentAsync("/sources/agence-france-presse");

        Assert.Contains("Alias story three", page.TextsOf(".headlines h2"));
    }

    [Fact]
    public async Task RenamingACategory_ChangesItsPage_AndTheOldSlugRedirects()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Rename story").InCategory("Econ"));
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var id = await editor.NameIdAsync("categories", "Econ");

        using var rename = await editor.SubmitFormAsync("/admin/categories", new Dictionary<string, string?> { ["id"] = id, ["name"] = "Economy" },
            $"form[action*='handler=Rename']:has(input[value='{id}'])");
        using var redirect = await factory.CreatePlainClient().GetAsync("/categories/econ");
        var renamed = await factory.CreateClient().GetDocumentAsync("/categories/economy");

        Assert.Equal(HttpStatusCode.Redirect, rename.StatusCode);
        Assert.Equal(HttpStatusCode.MovedPermanently, redirect.StatusCode);
        Assert.Equal("Category Economy", renamed.TextOf("main h1").Normalized());
    }

    [Fact]
    public async Task AnAlias_IsUsedByTheImporter()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Alias target story").FromSource("Deutsche Presse-Agentur"));
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var id = await editor.NameIdAsync("sources", "Deutsche Presse-Agentur");

        using var alias = await editor.SubmitFormAsync("/admin/sources", new Dictionary<string, string?> { ["id"] = id, ["alias"] = "dpa" },
            $"form[action*='handler=Alias']:has(input[value='{id}'])");
        await factory.ImportAsync(_input.Write("dpa.txt", TempFolder.Snippet("Story from dpa", extraHeaders: "Sources DPA")));
        var page = await factory.CreateClient().GetDocumentAsync("/sources/deutsche-presse-agentur");

        Assert.Equal(HttpStatusCode.Redirect, alias.StatusCode);
        Assert.Contains("Story from dpa", page.TextsOf(".headlines h2"));
        Assert.Equal(HttpStatusCode.NotFound, (await factory.CreatePlainClient().GetAsync("/sources/dpa")).StatusCode);
    }

    [Fact]
    public async Task MergingANameIntoItself_IsRefusedWithAMessage()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Self merge story").FromSource("Kyodo"));
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var id = await editor.NameIdAsync("sources", "Kyodo");

        using var merge = await editor.SubmitFormAsync("/admin/sources", new Dictionary<string, string?> { ["fromId"] = id, ["intoId"] = id }, "form[action*='handler=Merge']");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, merge.StatusCode);
        Assert.Contains("Choose two different", (await merge.ReadDocumentAsync()).TextOf(".form-errors"));
    }
}
