using System.Net;
using Microsoft.EntityFrameworkCore;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;
using NewsPortal.Web.Import;

namespace NewsPortal.Tests.Admin;

/// <summary>The editor's actions: publishing keeps what is on the screen, actions match the status, and a deletion can be undone.</summary>
public sealed class EditorActionsTests(EditorialFactory factory) : IClassFixture<EditorialFactory>
{
    private static Dictionary<string, string?> Draft(string title) => new()
    {
        ["Form.Title"] = title,
        ["Form.Body"] = "The first paragraph.",
        ["Form.PublishedOn"] = "2026-03-01",
        ["Form.Language"] = "en",
        ["Form.Status"] = "Draft",
    };

    private static Task<string> CreateAsync(HttpClient editor, string title) => CreateFromAsync(editor, Draft(title));

    private static async Task<string> CreateFromAsync(HttpClient editor, Dictionary<string, string?> story)
    {
        using var response = await editor.SubmitFormAsync("/admin/articles/edit", story, "#article-form");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!.OriginalString;
    }

    /// <summary>Posts a form of a page already read (the undo offer is shown once).</summary>
    private static Task<HttpResponseMessage> PostAsync(HttpClient client, AngleSharp.Dom.IDocument page, string selector)
    {
        var form = (AngleSharp.Html.Dom.IHtmlFormElement)(page.QuerySelector(selector) ?? throw new Xunit.Sdk.XunitException($"No {selector}"));
        return client.PostAsync(form.GetAttribute("action"), new FormUrlEncodedContent(
            Forms.FieldsOf(form).Select(f => new KeyValuePair<string, string>(f.Key, f.Value ?? ""))));
    }

    private static string Slug(string title) => NewsPortal.Web.Shared.Slug.From(title);

    [Fact]
    public async Task PublishNow_SavesTheEditsOnTheScreenFirst()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var editUrl = await CreateAsync(editor, "Harbour reopens after storm");

        using var publish = await editor.SubmitFormAsync(editUrl,
            new Dictionary<string, string?> { ["Form.Title"] = "Harbour reopens after the storm passes", ["Form.Body"] = "Boats left at dawn." },
            "#article-form", "Publish");
        var page = await factory.CreateClient().GetDocumentAsync($"/articles/{Slug("Harbour reopens after storm")}");
        var editorPage = await editor.GetDocumentAsync(editUrl);

        Assert.Equal(HttpStatusCode.Redirect, publish.StatusCode);
        Assert.Equal("Harbour reopens after the storm passes", page.TextOf("h1"));
        Assert.Contains("Boats left at dawn.", page.TextOf(".story-body"));
        Assert.Equal("Published.", editorPage.TextOf(".notice"));
    }

    [Fact]
    public async Task PublishNow_OnANewStory_PostsToThePublishHandler()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);

        var page = await editor.GetDocumentAsync("/admin/articles/edit");

        Assert.Equal("/admin/articles/edit?handler=Publish", page.QuerySelectorAll("#article-form .actions button").Single(b => b.TextContent == "Publish now").GetAttribute("formaction"));
    }

    [Fact]
    public async Task PublishNow_WithAnInvalidForm_PublishesNothingAndSaysWhy()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var editUrl = await CreateAsync(editor, "Draft with a problem");

        using var publish = await editor.SubmitFormAsync(editUrl, new Dictionary<string, string?> { ["Form.Title"] = "" }, "#article-form", "Publish");
        using var reader = await factory.CreateClient().GetAsync($"/articles/{Slug("Draft with a problem")}");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, publish.StatusCode);
        Assert.Contains("A story needs a title.", await publish.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, reader.StatusCode);
    }

    [Fact]
    public async Task Actions_MatchTheStatus()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var editUrl = await CreateAsync(editor, "Status-aware actions");

        var asDraft = await editor.GetDocumentAsync(editUrl);
        await editor.SubmitFormAsync(editUrl, new Dictionary<string, string?>(), "#article-form", "Publish");
        var asPublished = await editor.GetDocumentAsync(editUrl);
        await editor.SubmitFormAsync(editUrl, new Dictionary<string, string?>(), "#article-form", "Unpublish");
        var asUnpublished = await editor.GetDocumentAsync(editUrl);

        string[] Buttons(AngleSharp.Dom.IDocument page) => page.TextsOf("#article-form .actions button");
        Assert.Equal(["Save", "Publish now", "Preview"], Buttons(asDraft));
        Assert.Equal(["Save", "Unpublish", "Preview"], Buttons(asPublished));
        Assert.Equal(["Save", "Publish now", "Preview"], Buttons(asUnpublished));
        Assert.NotNull(asDraft.QuerySelector("form[data-confirm] button.danger"));
    }

    [Fact]
    public async Task Delete_OffersUndo_WhichBringsTheStoryBack_OnlyForAWhile()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var editUrl = await CreateAsync(editor, "Story deleted by mistake");
        await editor.SubmitFormAsync(editUrl, new Dictionary<string, string?>(), "#article-form", "Publish");

        using var delete = await editor.SubmitFormAsync(editUrl, new Dictionary<string, string?>(), "form[action*='handler=Delete']");
        var list = await editor.GetDocumentAsync(delete.Headers.Location!.OriginalString);
        var gone = await factory.CreateClient().GetAsync($"/articles/{Slug("Story deleted by mistake")}");
        using var undo = await PostAsync(editor, list, "form.undo");
        var after = await editor.GetDocumentAsync("/admin");
        using var back = await factory.CreateClient().GetAsync($"/articles/{Slug("Story deleted by mistake")}");

        Assert.Equal("Deleted “Story deleted by mistake”. Undo", list.TextOf("form.undo").Normalized());
        Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, undo.StatusCode);
        Assert.Equal("Restored.", after.TextOf(".notice"));
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
    }

    [Fact]
    public async Task DeletingAStoryAnotherTabHasDeleted_SaysItWasAlreadyDeleted()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var editUrl = await CreateAsync(editor, "Story deleted in two tabs");
        var firstTab = await editor.GetDocumentAsync(editUrl);
        using var deleted = await editor.SubmitFormAsync(editUrl, new Dictionary<string, string?>(), "form[action*='handler=Delete']");

        using var again = await PostAsync(editor, firstTab, "form[action*='handler=Delete']");

        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        Assert.Equal("“Story deleted in two tabs” had already been deleted. An admin can restore it from the deleted stories.",
            (await again.ReadDocumentAsync()).TextOf("main p"));
    }

    [Fact]
    public async Task Undo_AfterTheWindow_IsRefusedWithAMessage()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var editUrl = await CreateAsync(editor, "Story deleted long ago");
        using var delete = await editor.SubmitFormAsync(editUrl, new Dictionary<string, string?>(), "form[action*='handler=Delete']");
        var list = await editor.GetDocumentAsync("/admin");

        factory.Clock.Advance(TimeSpan.FromMinutes(16));
        using var late = await PostAsync(editor, list, "form.undo");

        Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);
        Assert.Contains("within 15 minutes", await late.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("Form.Version", "", "Version")]
    [InlineData("Form.Version", "three", "Version")]
    [InlineData("Form.NotADuplicate", "perhaps", "NotADuplicate")]
    public async Task AFormWithAHiddenFieldThatCannotBeRead_SaysSoAboveTheForm(string field, string value, string named)
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var editUrl = await CreateAsync(editor, $"Hidden field story {named} {value}");

        using var refused = await editor.SubmitFormAsync(editUrl, new Dictionary<string, string?> { [field] = value }, "#article-form");
        var page = await refused.ReadDocumentAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains($"The form came back incomplete or changed ('{named}' could not be read)", page.TextOf("#article-form .form-errors"));
    }

    [Fact]
    public async Task NamesHoldingCommas_AreShownInQuotes_AndSavingTheStoryKeepsEachWhole()
    {
        // Imported names may hold the field's separators: IPTC's top categories do ("Crime, law and justice").
        var slug = await factory.AddArticleAsync(new ArticleBuilder().Titled("Court hears appeal over museum loan")
            .InCategory("Crime, law and justice").InCategory("Arts, culture and entertainment").FromSource("Reuters; Paris bureau"));
        var id = await factory.WithDbAsync(db => db.Articles.Where(a => a.Slug == slug).Select(a => a.Id).SingleAsync());
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var editUrl = $"/admin/articles/edit/{id}";

        var form = await editor.GetDocumentAsync(editUrl);
        using var saved = await editor.SubmitFormAsync(editUrl, new Dictionary<string, string?> { ["Form.Body"] = "The appeal was heard on Monday." }, "#article-form");
        var names = await factory.WithDbAsync(async db => (
            Categories: await db.Articles.Where(a => a.Id == id).SelectMany(a => a.Categories.Select(c => c.Name)).OrderBy(n => n).ToListAsync(),
            Sources: await db.Articles.Where(a => a.Id == id).SelectMany(a => a.Sources.Select(s => s.Name)).ToListAsync()));

        Assert.Equal("\"Arts, culture and entertainment\", \"Crime, law and justice\"", form.QuerySelector("#Form_Categories")!.GetAttribute("value"));
        Assert.Equal("\"Reuters; Paris bureau\"", form.QuerySelector("#Form_Sources")!.GetAttribute("value"));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(["Arts, culture and entertainment", "Crime, law and justice"], names.Categories);
        Assert.Equal(["Reuters; Paris bureau"], names.Sources);
    }

    [Fact]
    public async Task ANewSourceCreditingAStoredOneVia_AnotherOutlet_IsQueried()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Wire story").FromSource("Xinhua News Agency"));
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var story = Draft("Credited through another outlet");
        story["Form.Sources"] = "Xinhua News Agency via RFI";

        using var queried = await editor.SubmitFormAsync("/admin/articles/edit", story, "#article-form");
        var page = await queried.ReadDocumentAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, queried.StatusCode);
        Assert.Equal("'Xinhua News Agency via RFI' would be a new source, but 'Xinhua News Agency' exists: correct it, or tick \"Create the new names as typed\".",
            page.TextOf("[data-valmsg-for='Form.Sources']"));
    }

    [Fact]
    public async Task ANewNameLikeAStoredOne_IsQueried_AndCreatedOnlyWhenConfirmed()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Markets rally").InCategory("Business and economy").FromSource("Anadolu Agency"));
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var story = Draft("Bond yields fall");
        story["Form.Categories"] = "Business and econony";
        story["Form.Sources"] = "Anadolu  agency, Brand New Wire";

        using var queried = await editor.SubmitFormAsync("/admin/articles/edit", story, "#article-form");
        var page = await queried.ReadDocumentAsync();
        story["Form.CreateNewNames"] = "true";
        using var confirmed = await editor.SubmitFormAsync("/admin/articles/edit", story, "#article-form");
        var categories = await editor.GetDocumentAsync("/admin/categories?q=business");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, queried.StatusCode);
        Assert.Equal("'Business and econony' would be a new category, but 'Business and economy' exists: correct it, or tick \"Create the new names as typed\".",
            page.TextOf("[data-valmsg-for='Form.Categories']"));
        // A stored name typed with other spaces or case is that name, and a name like no other is simply new.
        Assert.Equal("", page.TextOf("[data-valmsg-for='Form.Sources']"));
        Assert.NotNull(page.QuerySelector("input[name='Form.CreateNewNames'][type=checkbox]"));
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Equal(["Business and economy", "Business and econony"], categories.TextsOf(".admin-table tbody td:first-child a"));
    }

    [Fact]
    public async Task ANewSourceCreditedViaAStoredOne_IsQueried_NamingTheStoredOne()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Ferry strike ends").FromSource("Daily Harbour Wire"));
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var story = Draft("Ferry timetable returns to normal");
        story["Form.Sources"] = "Daily Harbour Wire via Coastal Radio";

        using var queried = await editor.SubmitFormAsync("/admin/articles/edit", story, "#article-form");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, queried.StatusCode);
        Assert.Equal("'Daily Harbour Wire via Coastal Radio' would be a new source, but 'Daily Harbour Wire' exists: correct it, or tick \"Create the new names as typed\".",
            (await queried.ReadDocumentAsync()).TextOf("[data-valmsg-for='Form.Sources']"));
    }

    [Fact]
    public async Task ALikelyDuplicateOfAPublishedStory_IsQueriedWithALink_AndSavedOnlyWhenConfirmed()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Lighthouse keepers strike over pay at northern ports").PublishedOn(2026, 2, 28).FromSource("Reuters"));
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var story = Draft("Northern ports: lighthouse keepers strike over pay");

        using var queried = await editor.SubmitFormAsync("/admin/articles/edit", story, "#article-form");
        var page = await queried.ReadDocumentAsync();
        story["Form.NotADuplicate"] = "true";
        using var confirmed = await editor.SubmitFormAsync("/admin/articles/edit", story, "#article-form");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, queried.StatusCode);
        Assert.Contains("A published story looks like the same event", page.TextOf(".form-errors"));
        Assert.Equal($"/articles/{Slug("Lighthouse keepers strike over pay at northern ports")}", page.QuerySelector(".likely-duplicates a")!.GetAttribute("href"));
        Assert.NotNull(page.QuerySelector("input[name='Form.NotADuplicate'][type=checkbox]"));
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
    }

    [Fact]
    public async Task AStoryOnTheSameSubjectDaysLater_IsSavedWithoutAQuestion()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Dock workers strike over pay at southern ports").PublishedOn(2026, 2, 20).FromSource("Reuters"));
        var editor = await factory.SignedInClientAsync(Roles.Editor);

        using var saved = await editor.SubmitFormAsync("/admin/articles/edit", Draft("Dock workers strike over pay at southern ports"), "#article-form");

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
    }

    [Fact]
    public async Task ChangingAPublishedStorysAddress_KeepsTheOldOneAsAPermanentRedirect_AndGoingBackUndoesIt()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var story = Draft("Ferry timetable changes for winter");
        story["Form.Status"] = "Published";
        using var created = await editor.SubmitFormAsync("/admin/articles/edit", story, "#article-form");
        var editUrl = created.Headers.Location!.OriginalString;
        var reader = factory.CreatePlainClient();

        using var moved = await editor.SubmitFormAsync(editUrl, new Dictionary<string, string?> { ["Form.Slug"] = "Winter Ferries 2026!" }, "#article-form");
        using var atNew = await reader.GetAsync("/articles/winter-ferries-2026");
        using var atOld = await reader.GetAsync("/articles/ferry-timetable-changes-for-winter?utm_source=mail");
        using var back = await editor.SubmitFormAsync(editUrl, new Dictionary<string, string?> { ["Form.Slug"] = "ferry-timetable-changes-for-winter" }, "#article-form");
        using var atOriginal = await reader.GetAsync("/articles/ferry-timetable-changes-for-winter");
        using var atSecond = await reader.GetAsync("/articles/winter-ferries-2026");

        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        Assert.Equal(HttpStatusCode.OK, atNew.StatusCode);
        Assert.Equal(HttpStatusCode.MovedPermanently, atOld.StatusCode);
        Assert.Equal("/articles/winter-ferries-2026?utm_source=mail", atOld.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, atOriginal.StatusCode);
        Assert.Equal(HttpStatusCode.MovedPermanently, atSecond.StatusCode);
        Assert.Equal("/articles/ferry-timetable-changes-for-winter", atSecond.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task TheApi_LeadsFromAStorysOldAddressToItsNewOne()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var story = Draft("Bridge repairs finish early");
        story["Form.Status"] = "Published";
        using var created = await editor.SubmitFormAsync("/admin/articles/edit", story, "#article-form");
        using var moved = await editor.SubmitFormAsync(created.Headers.Location!.OriginalString, new Dictionary<string, string?> { ["Form.Slug"] = "bridge-reopens" }, "#article-form");

        using var old = await factory.CreatePlainClient().GetAsync("/api/v1/articles/bridge-repairs-finish-early");
        using var unknown = await factory.CreatePlainClient().GetAsync("/api/v1/articles/no-such-bridge");

        Assert.Equal(HttpStatusCode.MovedPermanently, old.StatusCode);
        Assert.Equal("/api/v1/articles/bridge-reopens", old.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task AnAddressAnotherStoryHasOrHad_IsAFieldError_AndANewStoryTakesAFreeOne()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var first = await CreateAsync(editor, "Tram line extension approved");
        using var firstMoved = await editor.SubmitFormAsync(first, new Dictionary<string, string?> { ["Form.Slug"] = "tram-extension" }, "#article-form");
        var second = Draft("Tram depot to close");

        second["Form.Slug"] = "tram-extension";
        using var taken = await editor.SubmitFormAsync("/admin/articles/edit", second, "#article-form");
        second["Form.Slug"] = "tram-line-extension-approved";
        using var hadBefore = await editor.SubmitFormAsync("/admin/articles/edit", second, "#article-form");
        second["Form.Slug"] = "tram-depot-closure";
        using var free = await editor.SubmitFormAsync("/admin/articles/edit", second, "#article-form");
        var secondPage = await editor.GetDocumentAsync(free.Headers.Location!.OriginalString);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, taken.StatusCode);
        Assert.Equal("/articles/tram-extension is another story's address: choose another.", (await taken.ReadDocumentAsync()).TextOf("[data-valmsg-for='Form.Slug']"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, hadBefore.StatusCode);
        Assert.Contains("links to it still lead there", (await hadBefore.ReadDocumentAsync()).TextOf("[data-valmsg-for='Form.Slug']"));
        Assert.Equal("/articles/tram-depot-closure", secondPage.QuerySelector("main p.meta a")!.GetAttribute("href"));
    }

    [Fact]
    public async Task AStoryInNoDevelopingStory_IsOfferedTheOneItsWordsBelongTo_AndOnlyThat()
    {
        for (var day = 1; day <= 3; day++)
        {
            await factory.AddArticleAsync(new ArticleBuilder().Titled($"Dredging dispute: port authority and fishermen meet again, round {day}")
                .PublishedOn(2026, 1, day).InThread("Harbour dredging dispute")
                .WithParagraph("Fishermen say the dredging of the harbour channel ruins the oyster beds; the port authority disagrees."));
        }

        await factory.AddArticleAsync(new ArticleBuilder().Titled("Glacier retreat measured in the Alps").PublishedOn(2026, 1, 4).InThread("Alpine glaciers")
            .WithParagraph("Surveyors measured the glacier's tongue for the tenth year."));
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var related = Draft("Court hears fishermen in the harbour dredging dispute");
        related["Form.Body"] = "Fishermen say the dredging of the harbour channel ruins the oyster beds, the court heard.";

        var relatedPage = await editor.GetDocumentAsync(await CreateFromAsync(editor, related));
        var unrelatedPage = await editor.GetDocumentAsync(await CreateAsync(editor, "Library extends its opening hours"));

        Assert.Equal("Harbour dredging dispute", relatedPage.QuerySelector(".thread-suggestion button")!.GetAttribute("data-value"));
        Assert.Equal("", relatedPage.QuerySelector("#Form_Thread")!.GetAttribute("value"));
        Assert.Null(unrelatedPage.QuerySelector(".thread-suggestion"));
    }

    [Fact]
    public async Task Summary_ReplacesTheFirstParagraphInListingsAndPreviews_AndEmptyBringsItBack()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var story = Draft("Rail strike called off");
        story["Form.Body"] = "Unions and the ministry met for nine hours before agreeing terms late on Sunday.";
        story["Form.Summary"] = "Trains run on Monday after a late deal.";
        story["Form.Status"] = "Published";
        story["Form.Categories"] = "Summary check";
        using var created = await editor.SubmitFormAsync("/admin/articles/edit", story, "#article-form");
        var editUrl = created.Headers.Location!.OriginalString;

        var listing = await factory.CreateClient().GetDocumentAsync("/categories/summary-check");
        var article = await factory.CreateClient().GetDocumentAsync($"/articles/{Slug("Rail strike called off")}");
        using var cleared = await editor.SubmitFormAsync(editUrl, new Dictionary<string, string?> { ["Form.Summary"] = "" }, "#article-form");
        var after = await factory.CreateClient().GetDocumentAsync("/categories/summary-check");

        Assert.Equal("Trains run on Monday after a late deal.", listing.TextOf(".headlines .lede"));
        Assert.Equal("Trains run on Monday after a late deal.", article.QuerySelector("meta[name=description]")!.GetAttribute("content"));
        Assert.Contains("nine hours", article.TextOf(".story-body"));
        Assert.Equal("Unions and the ministry met for nine hours before agreeing terms late on Sunday.", after.TextOf(".headlines .lede"));
    }

    [Fact]
    public void Summary_SurvivesAJsonLinesRoundTrip()
    {
        var story = new ArticleBuilder().Titled("Round trip of a summary").Build() with { Summary = "One line." };

        Assert.Equal("One line.", JsonLines.Read(JsonLines.Write(story), out _)!.Summary);
    }
}
