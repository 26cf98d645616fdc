using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Hosting;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;

namespace NewsPortal.Tests.Admin;

/// <summary>The editorial app with every command a request sends recorded (and the output cache off).</summary>
public sealed class RecordingEditorialFactory : EditorialFactory
{
    public SqlCapture Sql { get; } = new();

    protected override bool KeepsTestExecutionContext => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        Sql.RecordEveryRequest(builder);
    }
}

/// <summary>
/// Merging categories and sources as a newsroom's archive has them: a name may hold most of the stories ("English"),
/// so the merge moves links in the store instead of loading the stories, and keeps each story's links and the
/// survivor's count exact.
/// </summary>
public sealed class NameMergeTests(RecordingEditorialFactory factory) : IClassFixture<RecordingEditorialFactory>
{
    /// <summary>Posts the merge form by ids, returning the commands the post sent (the page it was read from is not counted).</summary>
    private async Task<(HttpResponseMessage Response, IReadOnlyList<CapturedCommand> Commands)> MergeAsync(HttpClient editor, string kind, string from, string into)
    {
        var (fromId, intoId) = (await editor.NameIdAsync(kind, from), await editor.NameIdAsync(kind, into));
        var page = await editor.GetDocumentAsync($"/admin/{kind}");
        var fields = Forms.FieldsOf((IHtmlFormElement)page.QuerySelector("form.merge-form")!);
        fields["fromId"] = fromId;
        fields["intoId"] = intoId;
        using var recording = factory.Sql.Begin();
        var response = await editor.PostAsync($"/admin/{kind}?handler=Merge",
            new FormUrlEncodedContent(fields.Where(f => f.Value is not null).Select(f => new KeyValuePair<string, string>(f.Key, f.Value!))));
        return (response, recording.Commands.ToList());
    }

    [Fact]
    public async Task MergingCategories_AStoryInBoth_IsListedOnce_AndTheSurvivorCountsEachStoryOnce()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Gannet colony counted").PublishedOn(2026, 2, 1).InCategory("Gannet Desk"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Gannet chicks fledge").PublishedOn(2026, 2, 2).InCategory("Gannet Wire"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Gannet survey ends").PublishedOn(2026, 2, 3).InCategory("Gannet Desk").InCategory("Gannet Wire"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Gannet notes withdrawn").PublishedOn(2026, 2, 4).InCategory("Gannet Desk"));
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var withdrawn = (await editor.GetDocumentAsync("/admin?q=gannet+withdrawn")).QuerySelector("a[href^='/admin/articles/edit/']")!.GetAttribute("href")!;
        using var unpublish = await editor.SubmitFormAsync(withdrawn, new Dictionary<string, string?>(), "#article-form", "Unpublish");

        var (merge, _) = await MergeAsync(editor, "categories", "Gannet Desk", "Gannet Wire");
        var listing = await factory.CreateClient().GetDocumentAsync("/categories/gannet-wire");
        var index = await factory.CreateClient().GetDocumentAsync("/categories?q=gannet");
        var unpublished = await editor.GetDocumentAsync("/admin?category=Gannet+Wire&status=unpublished");

        Assert.Equal(HttpStatusCode.Redirect, unpublish.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, merge.StatusCode);
        Assert.Equal(["Gannet survey ends", "Gannet chicks fledge", "Gannet colony counted"], listing.TextsOf(".headlines h2"));
        Assert.Equal(["Gannet Wire 3 stories"], index.TextsOf(".index-list li").Select(t => string.Join(' ', t.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries))));
        Assert.Contains("Gannet notes withdrawn", unpublished.TextsOf(".admin-table tbody td a"));
    }

    [Fact]
    public async Task MergingASourceOfManyStories_ReadsNoStory_AndSendsAsManyCommandsAsMergingOneOfOne()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Skua report one").FromSource("Skua Press"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Skua report two").FromSource("Skua Newswire"));
        for (var i = 0; i < 40; i++)
        {
            await factory.AddArticleAsync(new ArticleBuilder().Titled($"Tern report {i}").FromSource("Tern Press"));
        }

        await factory.AddArticleAsync(new ArticleBuilder().Titled("Tern report survivor").FromSource("Tern Newswire"));
        var editor = await factory.SignedInClientAsync(Roles.Editor);

        var (small, fewCommands) = await MergeAsync(editor, "sources", "Skua Press", "Skua Newswire");
        var (large, manyCommands) = await MergeAsync(editor, "sources", "Tern Press", "Tern Newswire");
        var merged = await factory.CreateClient().GetDocumentAsync("/sources/tern-newswire");

        Assert.Equal(HttpStatusCode.Redirect, small.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, large.StatusCode);
        Assert.NotEmpty(fewCommands);
        Assert.Equal(fewCommands.Count, manyCommands.Count);
        Assert.DoesNotContain(manyCommands, c => c.Sql.Contains("FROM \"Articles\"", StringComparison.Ordinal));
        Assert.Equal(20, merged.TextsOf(".headlines h2").Count(t => t.StartsWith("Tern report", StringComparison.Ordinal)));
    }
}

/// <summary>A merge meeting an editor's save that links a story to the name being merged away.</summary>
public sealed class NameMergeRaceTests(CommandHookFactory factory) : IClassFixture<CommandHookFactory>
{
    [Fact]
    public async Task ADraftSavedIntoASourceWhileItIsMergedAway_EndsInTheSurvivor_NotWithoutASource()
    {
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Petrel colony found").FromSource("Petrel Press"));
        await factory.AddArticleAsync(new ArticleBuilder().Titled("Petrel chicks fledge").FromSource("Petrel Newswire"));
        var merger = await factory.SignedInClientAsync(Roles.Editor);
        var writer = await factory.SignedInClientAsync(Roles.Editor);
        Task<HttpResponseMessage>? save = null;
        // Just before the merge removes the name, another editor saves a draft naming it (a draft adds to no count, so
        // no count's row lock makes it wait); the merge goes on after the save has finished or a second has passed,
        // whichever comes first (the save waits on the name's lock).
        factory.Once("DELETE FROM \"Sources\"", async () =>
        {
            save = writer.SubmitFormAsync("/admin/articles/edit", new Dictionary<string, string?>
            {
                ["Form.Title"] = "Petrel ringing resumes",
                ["Form.Body"] = "Ringers returned to the island.",
                ["Form.PublishedOn"] = "2026-05-05",
                ["Form.Status"] = "Draft",
                ["Form.Sources"] = "Petrel Press",
            }, "#article-form");
            await Task.WhenAny(save, Task.Delay(TimeSpan.FromSeconds(1)));
        });

        using var merge = await merger.SubmitFormAsync("/admin/sources", new Dictionary<string, string?> { ["from"] = "Petrel Press", ["into"] = "Petrel Newswire" }, "form.merge-form");
        Assert.NotNull(save);
        using var saved = await save;
        var survivor = await merger.GetDocumentAsync("/admin?source=Petrel+Newswire");

        Assert.Equal(HttpStatusCode.Redirect, merge.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(["Petrel chicks fledge", "Petrel colony found", "Petrel ringing resumes"], survivor.TextsOf(".admin-table tbody td a[href^='/admin/articles/edit/']").Order(StringComparer.Ordinal));
    }
}
