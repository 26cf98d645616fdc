using System.Net;
using System.Net.Http.Json;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;
using NewsPortal.Web.Admin;

namespace NewsPortal.Tests.Admin;

/// <summary>The names admin at a newsroom's size: paged, found by the start of a name, with likely duplicates to merge.</summary>
public sealed class NamesAtScaleTests(EditorialFactory factory) : IClassFixture<EditorialFactory>
{
    [Fact]
    public async Task SourcesAdmin_IsPaged_AndFindsNamesByTheirStart()
    {
        for (var i = 1; i <= 45; i++)
        {
            await factory.AddArticleAsync(new ArticleBuilder().Titled($"Wire story {i}").FromSource($"Wire service {i:D2}"));
        }

        var editor = await factory.SignedInClientAsync(Roles.Editor);

        var first = await editor.GetDocumentAsync("/admin/sources");
        var more = first.QuerySelector(".pager a[rel=next]")!.GetAttribute("href")!;
        var second = await editor.GetDocumentAsync(more);
        var found = await editor.GetDocumentAsync("/admin/sources?q=wire+service+4");
        using var tooLong = await editor.GetAsync("/admin/sources?q=" + new string('x', 101));

        var firstNames = first.TextsOf(".admin-table tbody td:first-child a");
        var secondNames = second.TextsOf(".admin-table tbody td:first-child a");
        Assert.Equal(NamesModel.PageSize, firstNames.Length);
        Assert.Empty(firstNames.Intersect(secondNames));
        Assert.Contains("Wire service 45", firstNames.Concat(secondNames));
        Assert.Equal(["Wire service 40", "Wire service 41", "Wire service 42", "Wire service 43", "Wire service 44", "Wire service 45"],
            found.TextsOf(".admin-table tbody td:first-child a"));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
    }

    [Fact]
    public async Task ANameSuggestionAskedForDuringASave_DoesNotTakeTheSavedNotice()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);

        using var saved = await editor.SubmitFormAsync("/admin/articles/edit",
            new Dictionary<string, string?> { ["Form.Title"] = "Towpath reopens after the floods", ["Form.Body"] = "Walkers are back." }, "#article-form");
        // The page's script asks for names as the editor types; one asked for as Save is pressed lands before the saved page.
        using var suggested = await editor.GetAsync("/admin/articles/edit?handler=Names&kind=source&q=tow");
        var page = await editor.GetDocumentAsync(saved.Headers.Location!.OriginalString);

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(HttpStatusCode.OK, suggested.StatusCode);
        Assert.Equal("Saved.", page.TextOf(".notice"));
    }

    [Fact]
    public async Task TheEditorsNameFields_AskForNamesStartingAsTyped_InsteadOfCarryingEveryName()
    {
        for (var i = 1; i <= 30; i++)
        {
            await factory.AddArticleAsync(new ArticleBuilder().Titled($"Relay story {i}").FromSource($"Relay agency {i:D2}"));
        }

        var editor = await factory.SignedInClientAsync(Roles.Editor);

        var page = await editor.GetDocumentAsync("/admin/articles/edit");
        using var suggested = await editor.GetAsync("/admin/articles/edit?handler=Names&kind=source&q=relay+AGENCY+1");
        using var none = await editor.GetAsync("/admin/articles/edit?handler=Names&kind=category&q=relay");
        using var unknownKind = await editor.GetAsync("/admin/articles/edit?handler=Names&kind=author&q=relay");
        using var anonymous = await factory.CreatePlainClient().GetAsync("/admin/articles/edit?handler=Names&kind=source&q=relay");

        var sourcesAdmin = await editor.GetDocumentAsync("/admin/sources");
        Assert.Empty(page.QuerySelectorAll("#source-names option"));
        // The names admin's merge fields ask the same suggestions for any stored name, not only this page's.
        Assert.Equal(["source", "source"], sourcesAdmin.QuerySelectorAll(".merge-form input[list]").Select(i => i.GetAttribute("data-suggest")));
        Assert.DoesNotContain("Relay agency 07", page.Source.Text, StringComparison.Ordinal);
        var suggestions = await suggested.Content.ReadFromJsonAsync<string[]>();
        var nothing = await none.Content.ReadFromJsonAsync<string[]>();
        Assert.Equal(HttpStatusCode.OK, suggested.StatusCode);
        Assert.Equal(["Relay agency 10", "Relay agency 11", "Relay agency 12", "Relay agency 13", "Relay agency 14", "Relay agency 15", "Relay agency 16",
            "Relay agency 17", "Relay agency 18", "Relay agency 19"], suggestions!);
        Assert.Empty(nothing!);
        Assert.Equal(HttpStatusCode.BadRequest, unknownKind.StatusCode);
        Assert.Contains("kind=category, kind=source or kind=thread", await unknownKind.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
    }

    [Fact]
    public async Task LikelyDuplicates_AreListed_AndMergedWithOneButton()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Kyiv report one").FromSource("RBC-Ukraine"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Kyiv report two").FromSource("RBC-Ukraine"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Kyiv report three").FromSource("RBC Ukraine"));
        var editor = await factory.SignedInClientAsync(Roles.Editor);

        var page = await editor.GetDocumentAsync("/admin/sources");
        var pair = page.QuerySelectorAll(".duplicates li").Single(li => li.TextContent.Contains("“RBC Ukraine”", StringComparison.Ordinal));
        Assert.Contains("“RBC Ukraine” (1) and “RBC-Ukraine” (2): the same but for spaces, punctuation or accents.", pair.TextContent.Normalized());
        var id = pair.QuerySelector("input[name=fromId]")!.GetAttribute("value");

        using var merge = await editor.SubmitFormAsync("/admin/sources", new Dictionary<string, string?>(), $".duplicates form:has(input[name=fromId][value='{id}'])");
        var merged = await factory.CreateClient().GetDocumentAsync("/sources/rbc-ukraine");

        Assert.Equal(HttpStatusCode.Redirect, merge.StatusCode);
        Assert.Equal(["Kyiv report three", "Kyiv report two", "Kyiv report one"], merged.TextsOf(".headlines h2"));
    }

    [Fact]
    public async Task Merge_ByTypedNames_AndAnUnknownNameIsAFormError()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Typed merge one").InCategory("Business and econony"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Typed merge two").InCategory("Business and economy"));
        var editor = await factory.SignedInClientAsync(Roles.Editor);

        using var unknown = await editor.SubmitFormAsync("/admin/categories",
            new Dictionary<string, string?> { ["from"] = "Business and econony", ["into"] = "No such category" }, ".merge-form");
        using var merge = await editor.SubmitFormAsync("/admin/categories",
            new Dictionary<string, string?> { ["from"] = "business and ECONONY", ["into"] = "Business and economy" }, ".merge-form");
        var merged = await factory.CreateClient().GetDocumentAsync("/categories/business-and-economy");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        Assert.Contains("There is no category called 'No such category'.", (await unknown.ReadDocumentAsync()).TextOf(".form-errors"));
        Assert.Equal(HttpStatusCode.Redirect, merge.StatusCode);
        Assert.Contains("Typed merge one", merged.TextsOf(".headlines h2"));
    }

    [Fact]
    public void LikelyDuplicates_OfNamesStoredBeforeTextWasCleaned_AreStillFound()
    {
        // A name stored before Text.Clean existed may hold a lone surrogate, which Unicode normalization refuses.
        var pairs = LikelyDuplicates.Find(
            [new LikelyDuplicates.Name(1, "Business and economy", 50), new LikelyDuplicates.Name(2, "Business and econony\uD800", 1)],
            take: 10);

        Assert.Equal(["Business and econony → Business and economy"], pairs.Select(p => $"{p.From.Text.TrimEnd('\uD800')} → {p.Into.Text}"));
    }

    [Fact]
    public void LikelyDuplicates_CatchTyposAndViaCredits_ButNotNumberedOutlets()
    {
        LikelyDuplicates.Name N(int id, string name, int count = 1) => new(id, name, count);

        var pairs = LikelyDuplicates.Find(
            [N(1, "Business and economy", 50), N(2, "Business and econony"), N(3, "AFP", 90), N(4, "AFP via RFI", 3),
             N(5, "Channel 12", 10), N(6, "Channel 13", 8), N(7, "Reuters", 70), N(8, "Anadolu Agency", 20)],
            take: 10);

        Assert.Equal(
            ["AFP via RFI → AFP: credited via RFI", "Business and econony → Business and economy: spelt a letter or two differently"],
            pairs.Select(p => $"{p.From.Text} → {p.Into.Text}: {p.Reason}"));
    }

    [Fact]
    public void LikelyDuplicates_AmongThousandsOfThreadsOfOneYear_StillFindTyposEarlyOrLateInAName()
    {
        // Thousands of developing stories start "2025 …": each name is compared with its sorted neighbours only, so
        // a typo must be found whether it sorts the two names together (late in the name) or apart (early).
        var random = new Random(7);
        string Word() => new([.. Enumerable.Range(0, 7).Select(_ => (char)('a' + random.Next(26)))]);
        List<LikelyDuplicates.Name> names = [.. Enumerable.Range(1, 5_000).Select(i => new LikelyDuplicates.Name(i, $"2025 {Word()} {Word()}", 3))];
        names.AddRange([new(9001, "2025 Ebola outbreak", 40), new(9002, "2025 Wbola outbreak", 1), new(9003, "2025 Kivu offensive", 30), new(9004, "2025 Kivu ofensive", 2)]);

        var pairs = LikelyDuplicates.Find(names, take: 10).Select(p => $"{p.From.Text} → {p.Into.Text}").ToList();

        Assert.Contains("2025 Wbola outbreak → 2025 Ebola outbreak", pairs);
        Assert.Contains("2025 Kivu ofensive → 2025 Kivu offensive", pairs);
    }
}
