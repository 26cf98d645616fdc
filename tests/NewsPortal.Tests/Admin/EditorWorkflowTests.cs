using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;
using NewsPortal.Web.Articles;

namespace NewsPortal.Tests.Admin;

public sealed class EditorWorkflowTests(EditorialFactory factory) : IClassFixture<EditorialFactory>
{
    private static Dictionary<string, string?> Story(string title, string status = "Draft", string body = "The first paragraph.", string? publishAt = null) => new()
    {
        ["Form.Title"] = title,
        ["Form.Dateline"] = "ANKARA",
        ["Form.Body"] = body,
        ["Form.PublishedOn"] = "2026-03-01",
        ["Form.DocumentDate"] = "2026-03-01T09:30:00",
        ["Form.Language"] = "en",
        ["Form.Site"] = "aa.com.tr",
        ["Form.OriginalUrl"] = "",
        ["Form.Categories"] = "Politics, Türkiye",
        ["Form.Sources"] = "Anadolu Agency, Reuters",
        ["Form.Status"] = status,
        ["Form.PublishAtUtc"] = publishAt,
        ["Form.CorrectionNote"] = "",
    };

    private static string Slug(string title) => NewsPortal.Web.Shared.Slug.From(title);

    /// <summary>Creates a story through the form and returns its editor URL.</summary>
    private static async Task<string> CreateAsync(HttpClient editor, Dictionary<string, string?> story)
    {
        using var response = await editor.SubmitFormAsync("/admin/articles/edit", story, "#article-form");
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"create answered {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response.Headers.Location!.OriginalString;
    }

    private async Task<HttpStatusCode> PublicStatusAsync(string title)
    {
        using var response = await factory.CreatePlainClient().GetAsync($"/articles/{Slug(title)}");
        return response.StatusCode;
    }

    [Fact]
    public async Task Draft_IsSavedButNotPublic()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);

        var editUrl = await CreateAsync(editor, Story("A draft about talks"));
        var list = await editor.GetDocumentAsync("/admin?status=draft");

        Assert.Matches(@"^/admin/articles/edit/\d+$", editUrl);
        Assert.Equal(HttpStatusCode.NotFound, await PublicStatusAsync("A draft about talks"));
        Assert.Contains("A draft about talks", list.TextsOf(".admin-table td a"));
        var home = await factory.CreateClient().GetDocumentAsync("/");
        Assert.DoesNotContain("A draft about talks", home.TextsOf(".headlines h2"));
    }

    [Fact]
    public async Task Preview_RendersTheBodyLikeThePublicPage_WithHtmlShownAsText()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var story = Story("Preview story", body: "Some **bold** words <script>alert(1)</script>");

        using var fragment = await editor.SubmitFormAsync("/admin/articles/edit", story, "#article-form", submitHandler: "Preview");
        var page = await fragment.ReadDocumentAsync();

        Assert.Equal(HttpStatusCode.OK, fragment.StatusCode);
        Assert.Equal("bold", page.QuerySelector("#preview strong")!.TextContent);
        Assert.Equal("ANKARA –", page.QuerySelector("#preview .dateline")!.TextContent);
        Assert.Empty(page.QuerySelectorAll("#preview script"));
        Assert.Contains("<script>alert(1)</script>", page.QuerySelector("#preview")!.TextContent);
        Assert.Equal(HttpStatusCode.NotFound, await PublicStatusAsync("Preview story"));
    }

    [Fact]
    public async Task Preview_OfABodyOverTheLimit_SaysSoInsteadOfRenderingIt()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var story = Story("Oversized preview", body: string.Concat(Enumerable.Range(0, 300).Select(i => new string(' ', i % 40) + "- deeper item " + i + "\n")) + new string('x', 300 * 1024));

        using var fragment = await editor.SubmitFormAsync("/admin/articles/edit", story, "#article-form", submitHandler: "Preview");
        var page = await fragment.ReadDocumentAsync();

        Assert.Equal(HttpStatusCode.OK, fragment.StatusCode);
        Assert.Contains("The body is over the limit of 262,144 bytes, so it is not shown here", page.QuerySelector("#preview")!.TextContent);
        Assert.Empty(page.QuerySelectorAll("#preview li"));
    }

    [Fact]
    public async Task SavingAStoryDeletedMeanwhile_KeepsTheEditorsText_AndSaysWhy()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var editUrl = await CreateAsync(editor, Story("Deleted while edited"));
        var page = await editor.GetDocumentAsync(editUrl);
        var fields = Forms.FieldsOf((AngleSharp.Html.Dom.IHtmlFormElement)page.QuerySelector("#article-form")!);
        fields["Form.Body"] = "Words typed while another editor deleted the story.";
        var id = int.Parse(editUrl[(editUrl.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var deletion = await scope.ServiceProvider.GetRequiredService<NewsPortal.Web.Admin.ArticleAdminService>().DeleteAsync(id, "other.editor@example.org");
            Assert.Equal(new("Deleted while edited", AlreadyDeleted: false), deletion);
        }

        using var saved = await editor.PostAsync(editUrl, new FormUrlEncodedContent(fields.Where(f => f.Value is not null).Select(f => KeyValuePair.Create(f.Key, f.Value!))));
        var answer = await saved.ReadDocumentAsync();

        Assert.Equal(HttpStatusCode.Conflict, saved.StatusCode);
        Assert.Contains("This story was deleted while you were editing it, so this was not saved.", answer.Body!.TextContent);
        Assert.Equal("Words typed while another editor deleted the story.", answer.QuerySelector("textarea[name='Form.Body']")!.TextContent.Trim());
    }

    [Fact]
    public async Task AStoryNamingMoreCategoriesThanTheLimit_IsRefusedWithAFormError()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var story = Story("Too many categories");
        story["Form.Categories"] = string.Join(", ", Enumerable.Range(1, 51).Select(i => $"Desk number {i}"));

        using var response = await editor.SubmitFormAsync("/admin/articles/edit", story, "#article-form");
        var page = await response.ReadDocumentAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("A story takes at most 50 categories; this names 51.", page.Body!.TextContent);
        Assert.Equal(HttpStatusCode.NotFound, await PublicStatusAsync("Too many categories"));
    }

    [Fact]
    public async Task ScheduledStory_GoesPublicWhenItsTimeComes_WithNoRestart()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var at = factory.Clock.GetUtcNow().UtcDateTime.AddHours(2);

        await CreateAsync(editor, Story("Scheduled for later", "Scheduled", publishAt: at.ToString("yyyy-MM-ddTHH:mm")));
        var before = await PublicStatusAsync("Scheduled for later");
        var scheduledList = await editor.GetDocumentAsync("/admin?status=scheduled");
        factory.Clock.Advance(TimeSpan.FromHours(3));
        var after = await PublicStatusAsync("Scheduled for later");
        var home = await factory.CreateClient().GetDocumentAsync("/");

        Assert.Equal(HttpStatusCode.NotFound, before);
        Assert.Contains("Scheduled for later", scheduledList.TextsOf(".admin-table td a"));
        Assert.Equal(HttpStatusCode.OK, after);
        Assert.Contains("Scheduled for later", home.TextsOf(".headlines h2"));
    }

    [Fact]
    public async Task PublishNow_MakesADraftPublic_AndUnpublishTakesItDown()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var editUrl = await CreateAsync(editor, Story("Publish me"));

        using var publish = await editor.SubmitFormAsync(editUrl, new Dictionary<string, string?>(), "#article-form", "Publish");
        var published = await PublicStatusAsync("Publish me");
        using var unpublish = await editor.SubmitFormAsync(editUrl, new Dictionary<string, string?>(), "#article-form", "Unpublish");
        var unpublished = await PublicStatusAsync("Publish me");

        Assert.Equal(HttpStatusCode.Redirect, publish.StatusCode);
        Assert.Equal(HttpStatusCode.OK, published);
        Assert.Equal(HttpStatusCode.NotFound, unpublished);
    }

    [Fact]
    public async Task EditingKeepsARevision_TheDiffShowsTheChange_AndRestoreBringsTheOldTextBack()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var editUrl = await CreateAsync(editor, Story("Revised story", "Published", body: "Original wording."));
        var id = editUrl.Split('/')[^1];

        using var edit = await editor.SubmitFormAsync(editUrl, new Dictionary<string, string?> { ["Form.Body"] = "Corrected wording." }, "#article-form");
        var revisions = await editor.GetDocumentAsync($"/admin/articles/{id}/revisions");
        var diff = await editor.GetDocumentAsync($"/admin/articles/{id}/revisions?from=1&to=2");
        using var restore = await editor.SubmitFormAsync($"/admin/articles/{id}/revisions", new Dictionary<string, string?> { ["number"] = "1" }, "form[action*='handler=Restore']");
        var article = await factory.CreateClient().GetDocumentAsync($"/articles/{Slug("Revised story")}");
        var after = await editor.GetDocumentAsync($"/admin/articles/{id}/revisions");

        Assert.Equal(HttpStatusCode.Redirect, edit.StatusCode);
        Assert.Equal(["2", "1"], revisions.QuerySelectorAll(".admin-table tbody tr td:first-child").Select(td => td.TextContent));
        Assert.Contains("edited", revisions.TextsOf(".admin-table tbody td"));
        Assert.Equal("- Original wording.", diff.TextOf(".diff-del"));
        Assert.Equal("+ Corrected wording.", diff.TextOf(".diff-ins"));
        Assert.Equal(HttpStatusCode.Redirect, restore.StatusCode);
        Assert.Equal("ANKARA – Original wording.", article.TextOf(".story-body p"));
        Assert.Equal("restored revision 1", after.TextsOf(".admin-table tbody tr:first-child td")[3]);
    }

    [Fact]
    public async Task AStorysRevisions_ArePagedFiftyAtATime_NewestFirst_AndAnyTwoCanBeCompared()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var editUrl = await CreateAsync(editor, Story("Much revised story", "Published", body: "Wording 1."));
        var id = int.Parse(editUrl.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
        await factory.WithDbAsync(async db =>
        {
            var first = await db.ArticleRevisions.SingleAsync(r => r.ArticleId == id);
            db.ArticleRevisions.AddRange(Enumerable.Range(2, 119).Select(n => new ArticleRevision
            {
                ArticleId = id,
                Number = n,
                CreatedAtUtc = first.CreatedAtUtc.AddMinutes(n),
                Author = "agency feed",
                Action = "edited",
                Snapshot = first.Snapshot.Replace("Wording 1.", $"Wording {n}.", StringComparison.Ordinal),
            }));
            return await db.SaveChangesAsync();
        });

        var newest = await editor.GetDocumentAsync($"/admin/articles/{id}/revisions");
        var middle = await editor.GetDocumentAsync(newest.QuerySelector("a[rel=next]")!.GetAttribute("href")!);
        var oldest = await editor.GetDocumentAsync(middle.QuerySelector("a[rel=next]")!.GetAttribute("href")!);
        var diff = await editor.GetDocumentAsync($"/admin/articles/{id}/revisions?from=1&to=120&before=71");

        string[] Numbers(AngleSharp.Dom.IDocument page) => [.. page.QuerySelectorAll(".admin-table tbody tr td:first-child").Select(td => td.TextContent)];
        Assert.Equal(Enumerable.Range(71, 50).Reverse().Select(n => $"{n}"), Numbers(newest));
        Assert.Equal(Enumerable.Range(21, 50).Reverse().Select(n => $"{n}"), Numbers(middle));
        Assert.Equal(Enumerable.Range(1, 20).Reverse().Select(n => $"{n}"), Numbers(oldest));
        Assert.Null(oldest.QuerySelector("a[rel=next]"));
        Assert.Equal($"/admin/articles/{id}/revisions", oldest.QuerySelector(".pager a:not([rel])")!.GetAttribute("href"));
        Assert.Equal(["119", "120"], newest.QuerySelectorAll("input[name=from], input[name=to]").Select(i => i.GetAttribute("value")!));
        Assert.Equal("- Wording 1.", diff.TextOf(".diff-del"));
        Assert.Equal("+ Wording 120.", diff.TextOf(".diff-ins"));
    }

    [Fact]
    public async Task AnImportedStorysLicence_IsKeptThroughAnEdit_AndTheEditorCanChangeIt()
    {
        using var input = new TempFolder();
        await factory.ImportAsync(input.Write("licensed.txt", TempFolder.Snippet("Licensed wire story", "Rivers rose.", "en.wikipedia.org\n\nLicense: CC BY-SA 4.0\n\nSources Reuters")));
        var id = await factory.WithDbAsync(db => db.Articles.Where(a => a.Title == "Licensed wire story").Select(a => a.Id).SingleAsync());
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var editUrl = $"/admin/articles/edit/{id}";

        var form = await editor.GetDocumentAsync(editUrl);
        using var bodyOnly = await editor.SubmitFormAsync(editUrl, new Dictionary<string, string?> { ["Form.Body"] = "Rivers rose overnight." }, "#article-form");
        var afterBodyEdit = await factory.CreateClient().GetDocumentAsync("/articles/licensed-wire-story");
        using var relicensed = await editor.SubmitFormAsync(editUrl, new Dictionary<string, string?> { ["Form.License"] = "CC BY 4.0" }, "#article-form");
        var afterLicenceEdit = await factory.CreateClient().GetDocumentAsync("/articles/licensed-wire-story");

        Assert.Equal("CC BY-SA 4.0", form.QuerySelector("#article-form input[name='Form.License']")!.GetAttribute("value"));
        Assert.Equal("Text under CC BY-SA 4.0", afterBodyEdit.TextOf(".attribution .license").Normalized());
        Assert.Equal("Text under CC BY 4.0", afterLicenceEdit.TextOf(".attribution .license").Normalized());
    }

    [Fact]
    public async Task TwoEditorsOnOneStory_TheSecondSaveIsRefused_AndBothVersionsAreKept()
    {
        var first = await factory.SignedInClientAsync(Roles.Editor);
        var second = await factory.SignedInClientAsync(Roles.Editor);
        var editUrl = await CreateAsync(first, Story("Contested story", "Published", body: "Starting text."));
        var id = editUrl.Split('/')[^1];

        // Both open the form at the same version; the first saves, then the second.
        var secondForm = Forms.FieldsOf((AngleSharp.Html.Dom.IHtmlFormElement)(await second.GetDocumentAsync(editUrl)).QuerySelector("#article-form")!);
        using var firstSave = await first.SubmitFormAsync(editUrl, new Dictionary<string, string?> { ["Form.Body"] = "First editor's text." }, "#article-form");
        secondForm["Form.Body"] = "Second editor's text.";
        using var secondSave = await second.PostAsync(editUrl, new FormUrlEncodedContent(secondForm.Where(f => f.Value is not null).Select(f => new KeyValuePair<string, string>(f.Key, f.Value!))));
        var refusedPage = await secondSave.ReadDocumentAsync();
        var article = await factory.CreateClient().GetDocumentAsync($"/articles/{Slug("Contested story")}");
        var revisions = await first.GetDocumentAsync($"/admin/articles/{id}/revisions?from=2&to=3");

        Assert.Equal(HttpStatusCode.Redirect, firstSave.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, secondSave.StatusCode);
        Assert.Contains("Someone else saved this story while you were editing it", refusedPage.TextOf(".form-errors"));
        Assert.Equal("Second editor's text.", refusedPage.QuerySelector("#Form_Body")!.TextContent.Trim());
        Assert.Equal("ANKARA – First editor's text.", article.TextOf(".story-body p"));
        Assert.StartsWith("refused", revisions.TextsOf(".admin-table tbody tr:first-child td")[3]);
        Assert.Equal("+ Second editor's text.", revisions.TextOf(".diff-ins"));
    }

    [Fact]
    public async Task CorrectionNote_IsShownOnThePublicArticle()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var editUrl = await CreateAsync(editor, Story("Corrected story", "Published"));

        await editor.SubmitFormAsync(editUrl, new Dictionary<string, string?> { ["Form.CorrectionNote"] = "An earlier version misspelt the minister's name." }, "#article-form");
        var article = await factory.CreateClient().GetDocumentAsync($"/articles/{Slug("Corrected story")}");

        Assert.Contains("An earlier version misspelt the minister's name.", article.TextOf(".correction"));
    }

    [Fact]
    public async Task DeletedStory_Answers410_UntilAnAdminRestoresIt()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var admin = await factory.SignedInClientAsync(Roles.Admin);
        var editUrl = await CreateAsync(editor, Story("Story to delete", "Published"));
        var id = editUrl.Split('/')[^1];

        using var delete = await editor.SubmitFormAsync(editUrl, new Dictionary<string, string?>(), "form[action*='handler=Delete']");
        var gone = await factory.CreateClient().GetDocumentAsync($"/articles/{Slug("Story to delete")}", expectedStatus: 410);
        // With a valid antiforgery token, so the refusal is for the role and nothing else.
        var token = Forms.FieldsOf((AngleSharp.Html.Dom.IHtmlFormElement)(await editor.GetDocumentAsync("/admin/articles/edit")).QuerySelector("#article-form")!)["__RequestVerificationToken"]!;
        using var editorRestore = await editor.PostAsync($"/admin?handler=Undelete&id={id}", new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));
        var stillGone = await PublicStatusAsync("Story to delete");
        using var adminRestore = await admin.SubmitFormAsync("/admin?status=deleted", new Dictionary<string, string?>(), $"form[action*='id={id}']");
        var back = await PublicStatusAsync("Story to delete");

        Assert.Equal(HttpStatusCode.Redirect, delete.StatusCode);
        Assert.Equal("Gone", gone.TextOf("main h1"));
        Assert.Equal(HttpStatusCode.Forbidden, editorRestore.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, stillGone);
        Assert.Equal(HttpStatusCode.Redirect, adminRestore.StatusCode);
        Assert.Equal(HttpStatusCode.OK, back);
    }

    [Theory]
    [InlineData("Form.Title", "", "A story needs a title.")]
    [InlineData("Form.OriginalUrl", "javascript:alert(1)", "The original URL must be an http or https address.")]
    [InlineData("Form.Language", "not a language", "The language must be a BCP 47 tag")]
    [InlineData("Form.PublishedOn", "2026-02-30", "The value '2026-02-30' is not valid")]
    public async Task BadInput_IsReportedNextToItsField_NotAs500(string field, string value, string message)
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var story = Story("Invalid story");
        story[field] = value;

        using var response = await editor.SubmitFormAsync("/admin/articles/edit", story, "#article-form");
        var page = await response.ReadDocumentAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var id = field.Replace('.', '_');
        Assert.Contains(message, page.QuerySelector($"[data-valmsg-for='{field}']")!.TextContent);
        Assert.NotNull(page.QuerySelector($"#{id}"));
    }

    [Fact]
    public async Task TheAuditLog_PagesBackFiftyAtATime_KeepingItsFilters()
    {
        var admin = await factory.SignedInClientAsync(Roles.Admin);
        await factory.WithDbAsync(async db =>
        {
            db.AuditLog.AddRange(Enumerable.Range(1, 120).Select(i => new NewsPortal.Web.Audit.AuditEntry
            {
                AtUtc = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(i),
                User = "feed-bot@example.org",
                Action = i % 3 == 0 ? "delete" : "import",
                Subject = $"story-{i}",
            }));
            return await db.SaveChangesAsync();
        });

        var first = await admin.GetDocumentAsync("/admin/audit?user=feed-bot%40example.org");
        var second = await admin.GetDocumentAsync(first.QuerySelector("a[rel=next]")!.GetAttribute("href")!);
        var last = await admin.GetDocumentAsync(second.QuerySelector("a[rel=next]")!.GetAttribute("href")!);
        var deletes = await admin.GetDocumentAsync("/admin/audit?user=feed-bot%40example.org&action=delete");
        var invalid = await admin.GetDocumentAsync("/admin/audit?before=yesterday", 400);

        string[] Subjects(AngleSharp.Dom.IDocument page) => [.. page.QuerySelectorAll(".admin-table tbody tr td:nth-child(4)").Select(td => td.TextContent)];
        Assert.Equal(Enumerable.Range(71, 50).Reverse().Select(i => $"story-{i}"), Subjects(first));
        Assert.Equal(Enumerable.Range(21, 50).Reverse().Select(i => $"story-{i}"), Subjects(second));
        Assert.Equal(Enumerable.Range(1, 20).Reverse().Select(i => $"story-{i}"), Subjects(last));
        Assert.Null(last.QuerySelector("a[rel=next]"));
        Assert.Equal("/admin/audit?user=feed-bot@example.org", last.QuerySelector(".pager a:not([rel])")!.GetAttribute("href"));
        Assert.Equal(Enumerable.Range(1, 40).Reverse().Select(i => $"story-{i * 3}"), Subjects(deletes));
        Assert.Null(deletes.QuerySelector(".pager"));
        Assert.Contains("'before' is an entry's number", invalid.Body!.TextContent);
    }

    [Fact]
    public async Task AuditLog_ShowsWhoSignedInCreatedPublishedAndDeleted()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var admin = await factory.SignedInClientAsync(Roles.Admin);
        var editUrl = await CreateAsync(editor, Story("Audited story"));
        await editor.SubmitFormAsync(editUrl, new Dictionary<string, string?>(), "#article-form", "Publish");
        await editor.SubmitFormAsync(editUrl, new Dictionary<string, string?>(), "form[action*='handler=Delete']");

        var log = await admin.GetDocumentAsync("/admin/audit");
        var rows = log.QuerySelectorAll(".admin-table tbody tr").Select(r => r.QuerySelectorAll("td").Select(td => td.TextContent).ToArray()).ToList();

        var slug = Slug("Audited story");
        Assert.Contains(rows, r => r[2] == "sign in" && r[1].StartsWith("editor-", StringComparison.Ordinal));
        Assert.Contains(rows, r => r[2] == "create" && r[3] == slug);
        Assert.Contains(rows, r => r[2] == "published" && r[3] == slug);
        Assert.Contains(rows, r => r[2] == "delete" && r[3] == slug);
    }
}

public sealed class SnippetListTests(EditorialFactory factory) : IClassFixture<EditorialFactory>
{
    [Fact]
    public async Task SnippetList_FiltersByCategorySourceAndText_AndSortsByDate()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Filter oldest markets").PublishedOn(2024, 1, 1).InCategory("Markets").FromSource("Bloomberg"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Filter newest markets").PublishedOn(2026, 1, 1).InCategory("Markets").FromSource("Reuters"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Filter sport").PublishedOn(2025, 1, 1).InCategory("Sport").FromSource("Reuters"));
        var editor = await factory.SignedInClientAsync(NewsPortal.Web.Accounts.Roles.Editor);

        var byCategory = await editor.GetDocumentAsync("/admin?category=markets");
        var bySource = await editor.GetDocumentAsync("/admin?source=reuters&sort=oldest");
        var byText = await editor.GetDocumentAsync("/admin?q=sport");

        Assert.Equal(["Filter newest markets", "Filter oldest markets"], byCategory.TextsOf(".admin-table td a[href^=\"/admin/articles/edit\"]"));
        Assert.Equal(["Filter sport", "Filter newest markets"], bySource.TextsOf(".admin-table td a[href^=\"/admin/articles/edit\"]"));
        Assert.Equal(["Filter sport"], byText.TextsOf(".admin-table td a[href^=\"/admin/articles/edit\"]"));
    }
}
