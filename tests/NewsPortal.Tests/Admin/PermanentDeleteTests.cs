using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Api;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;
using NewsPortal.Web.Data;
using NewsPortal.Web.Webhooks;

namespace NewsPortal.Tests.Admin;

/// <summary>An admin deleting a deleted story for good, as a court order or a privacy request may require.</summary>
public sealed class PermanentDeleteTests(EditorialFactory factory) : IClassFixture<EditorialFactory>
{
    private static Dictionary<string, string?> Story(string title, string body) => new()
    {
        ["Form.Title"] = title,
        ["Form.Dateline"] = "OSTRAVA",
        ["Form.Body"] = body,
        ["Form.PublishedOn"] = "2026-03-01",
        ["Form.DocumentDate"] = "2026-03-01T09:30:00",
        ["Form.Language"] = "en",
        ["Form.Site"] = "example.cz",
        ["Form.OriginalUrl"] = "",
        ["Form.Categories"] = "Court takedowns",
        ["Form.Sources"] = "Ostrava Daily",
        ["Form.Status"] = "Published",
        ["Form.CorrectionNote"] = "",
    };

    /// <summary>Creates a published story through the form and returns its id.</summary>
    private static async Task<int> CreateAsync(HttpClient editor, string title, string body)
    {
        using var response = await editor.SubmitFormAsync("/admin/articles/edit", Story(title, body), "#article-form");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return int.Parse(response.Headers.Location!.OriginalString.Split('/')[^1]);
    }

    private static async Task DeleteAsync(HttpClient editor, int id)
    {
        using var delete = await editor.SubmitFormAsync($"/admin/articles/edit/{id}", new Dictionary<string, string?>(), "form[action*='handler=Delete']");
        Assert.Equal(HttpStatusCode.Redirect, delete.StatusCode);
    }

    /// <summary>Posts the purge with a valid antiforgery token from the client's own session, whatever its role.</summary>
    private static async Task<HttpResponseMessage> PostPurgeAsync(HttpClient client, int id)
    {
        var form = (IHtmlFormElement)(await client.GetDocumentAsync("/admin/articles/edit")).QuerySelector("#article-form")!;
        var token = Forms.FieldsOf(form)["__RequestVerificationToken"]!;
        return await client.PostAsync($"/admin?handler=Purge&id={id}", new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));
    }

    private async Task<int> CategoryCountAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<NewsDbContext>().Categories.Where(c => c.Name == "Court takedowns").Select(c => c.ArticleCount).SingleAsync();
    }

    [Fact]
    public async Task AStoryDeletedForGood_LeavesNoTextInTheStore_ItsAddressesAnswer404_AndTheAuditLogKeepsOnlyWhoDidWhat()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var admin = await factory.SignedInClientAsync(Roles.Admin);
        var id = await CreateAsync(editor, "Court bars naming of Ostrava witness Vondrackova", "Witness Vondrackova asked the court for anonymity.");
        var firstSlug = NewsPortal.Web.Shared.Slug.From("Court bars naming of Ostrava witness Vondrackova");
        using var renamed = await editor.SubmitFormAsync($"/admin/articles/edit/{id}",
            new Dictionary<string, string?> { ["Form.Slug"] = "ostrava-witness-report" }, "#article-form");
        Assert.Equal(HttpStatusCode.Redirect, renamed.StatusCode);
        var foundBefore = (await factory.CreateClient().GetDocumentAsync("/search?q=vondrackova")).QuerySelectorAll(".search-results .card").Length;
        await DeleteAsync(editor, id);
        var countAfterDelete = await CategoryCountAsync();

        using var purge = await admin.SubmitFormAsync("/admin?status=deleted", new Dictionary<string, string?>(), $"form[action*='handler=Purge'][action*='id={id}']");
        var deletedList = await admin.GetDocumentAsync("/admin?status=deleted");
        var search = await factory.CreateClient().GetDocumentAsync("/search?q=vondrackova");
        await factory.CreateClient().GetDocumentAsync("/articles/ostrava-witness-report", expectedStatus: 404);
        await factory.CreateClient().GetDocumentAsync($"/articles/{firstSlug}", expectedStatus: 404);

        Assert.Equal(1, foundBefore);
        Assert.Equal(HttpStatusCode.Redirect, purge.StatusCode);
        Assert.Equal("Deleted permanently.", deletedList.TextOf("p.notice"));
        Assert.DoesNotContain("Vondrackova", deletedList.QuerySelector(".article-list")!.TextContent);
        Assert.Empty(search.QuerySelectorAll(".search-results .card"));
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        Assert.False(await db.Articles.AnyAsync(a => a.Id == id));
        Assert.False(await db.ArticleRevisions.AnyAsync(r => r.ArticleId == id));
        Assert.False(await db.SlugRedirects.AnyAsync(r => r.ArticleId == id));
        Assert.False(await db.Set<Dictionary<string, object>>("ArticleCategories").AnyAsync(r => (int)r["ArticlesId"] == id));
        Assert.Equal(countAfterDelete, await CategoryCountAsync());
        var log = await db.AuditLog.Where(e => e.Subject == $"story #{id}").OrderBy(e => e.Id).Select(e => new { e.Action, e.User, e.Details }).ToListAsync();
        Assert.Equal(["create", "edit", "delete", "delete permanently"], log.Select(e => e.Action));
        Assert.All(log, e => Assert.Null(e.Details));
        Assert.False(await db.AuditLog.AnyAsync(e => e.Subject == firstSlug || e.Subject == "ostrava-witness-report" || e.Details!.Contains("Vondrackova")));
        if (db.Database.IsSqlite())
        {
            // The search index's rows went with the story's (its delete trigger gave back what was indexed).
            await db.Database.ExecuteSqlRawAsync("""INSERT INTO "ArticleSearch"("ArticleSearch") VALUES ('integrity-check')""");
        }
    }

    [Fact]
    public async Task OnlyAnAdmin_AndOnlyAStoryAlreadyDeleted_CanDeleteItForGood()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var admin = await factory.SignedInClientAsync(Roles.Admin);
        var published = await CreateAsync(editor, "Ostrava tram line reopens", "The tram line reopened on Monday.");
        var deleted = await CreateAsync(editor, "Ostrava bridge closes for repairs", "The bridge closes for a month.");
        await DeleteAsync(editor, deleted);

        using var byEditor = await PostPurgeAsync(editor, deleted);
        using var ofPublished = await PostPurgeAsync(admin, published);
        var refusal = await ofPublished.ReadDocumentAsync();
        using var ofNothing = await PostPurgeAsync(admin, int.MaxValue);
        using var withoutToken = await admin.PostAsync($"/admin?handler=Purge&id={deleted}", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.Forbidden, byEditor.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, ofPublished.StatusCode);
        Assert.Contains("Only a story in the deleted list can be deleted permanently", refusal.TextOf("main"));
        Assert.Equal(HttpStatusCode.NotFound, ofNothing.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        await factory.CreateClient().GetDocumentAsync($"/articles/{NewsPortal.Web.Shared.Slug.From("Ostrava tram line reopens")}");
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        Assert.True(await db.Articles.AnyAsync(a => a.Id == deleted && a.DeletedAtUtc != null));
    }

    [Fact]
    public async Task TwoPurgesAtOnce_OneDeletesTheStory_AndTheOtherFindsItGone_NeitherIsAnError()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var admin = await factory.SignedInClientAsync(Roles.Admin);
        var id = await CreateAsync(editor, "Ostrava council meets twice", "The council met twice on Monday.");
        await DeleteAsync(editor, id);

        var answers = await admin.SubmitFormAtOnceAsync("/admin?status=deleted", $"form[action*='handler=Purge'][action*='id={id}']", 4);

        Assert.Equal([HttpStatusCode.Redirect], answers.Where(a => a != HttpStatusCode.NotFound));
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        Assert.Equal(1, await db.AuditLog.CountAsync(e => e.Subject == $"story #{id}" && e.Action == "delete permanently"));
    }

    [Fact]
    public async Task AStoryDeletedForGood_IsNotImportedAgain_WhileTheRestOfItsFileIs()
    {
        var editor = await factory.TokenClientAsync(Roles.Editor);
        var admin = await factory.TokenClientAsync(Roles.Admin);
        const string removed = """{"title":"Brno witness named in court report","publishedOn":"2026-03-02","body":"The witness was named.","site":"agency.example","originalUrl":"https://agency.example/brno-witness"}""";
        const string another = """{"title":"Brno trams run late after storm","publishedOn":"2026-03-02","body":"Trams ran late.","site":"agency.example","originalUrl":"https://agency.example/brno-trams"}""";
        // The same headline and day from another link: two links are two stories, as the import tells its own apart.
        const string sameHeadlineOtherLink = """{"title":"Brno witness named in court report","publishedOn":"2026-03-02","body":"Another agency's report.","site":"wire.example","originalUrl":"https://wire.example/brno"}""";
        using var first = await editor.ImportJsonLinesAsync(removed);
        const string slug = "brno-witness-named-in-court-report";
        using var delete = await editor.DeleteAsync($"/api/v1/articles/{slug}");
        using var purge = await admin.DeleteAsync($"/api/v1/articles/{slug}?permanent=true");

        using var again = await editor.ImportJsonLinesAsync(removed + "\n" + another + "\n" + sameHeadlineOtherLink);
        var report = await again.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();

        Assert.Equal(HttpStatusCode.NoContent, purge.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(1, report.GetProperty("withheld").GetInt32());
        Assert.Equal(2, report.GetProperty("imported").GetInt32());
        Assert.Contains("1 not imported again (deleted for good by an admin)", report.GetProperty("summary").GetString());
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        Assert.Equal(["Another agency's report."], await db.Articles.Where(a => a.Title == "Brno witness named in court report").Select(a => a.Body).ToListAsync());
        Assert.True(await db.Articles.AnyAsync(a => a.Title == "Brno trams run late after storm"));
    }

    [Fact]
    public async Task AStoryDeletedForGood_LeavesItsHeadlineInNoWebhookDelivery_WhileAnUnpublishNotYetSentStillGoesOut()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var admin = await factory.SignedInClientAsync(Roles.Admin);
        var subscription = await factory.WithDbAsync(async db =>
        {
            var added = db.WebhookSubscriptions.Add(new WebhookSubscription { Url = "https://hooks.example.org/purge", Secret = "s", CreatedBy = "test", CreatedAtUtc = DateTime.UtcNow });
            await db.SaveChangesAsync();
            return added.Entity.Id;
        });
        const string Title = "Ostrava clinic sent Hrabalova records to the wrong office";
        var id = await CreateAsync(editor, Title, "The records went astray.");
        // Its subscriber was told of the story; then it went down, and has not yet been told the story was deleted.
        await factory.WithDbAsync(db => db.WebhookDeliveries.Where(d => d.ArticleId == id).ExecuteUpdateAsync(d => d.SetProperty(x => x.State, DeliveryState.Delivered)));
        await DeleteAsync(editor, id);
        var before = await factory.WithDbAsync(db => db.WebhookDeliveries.Where(d => d.ArticleId == id && d.SubscriptionId == subscription)
            .OrderBy(d => d.Id).Select(d => new { d.Id, d.Event, d.State }).ToListAsync());

        using var purge = await admin.SubmitFormAsync("/admin?status=deleted", new Dictionary<string, string?>(), $"form[action*='handler=Purge'][action*='id={id}']");

        var ids = before.Select(d => d.Id).ToList();
        var after = await factory.WithDbAsync(db => db.WebhookDeliveries.Where(d => ids.Contains(d.Id)).Select(d => new { d.Id, d.Event, d.State, d.Payload }).ToListAsync());
        Assert.Equal(HttpStatusCode.Redirect, purge.StatusCode);
        Assert.Equal([("article.published", DeliveryState.Delivered), ("article.unpublished", DeliveryState.Pending)], before.Select(d => (d.Event, d.State)));
        var waiting = Assert.Single(after);
        Assert.Equal((before[1].Id, "article.unpublished", DeliveryState.Pending), (waiting.Id, waiting.Event, waiting.State));
        Assert.DoesNotContain(Title, waiting.Payload);
        var article = System.Text.Json.JsonDocument.Parse(waiting.Payload).RootElement.GetProperty("article");
        Assert.Equal(["slug", "url", "status"], article.EnumerateObject().Select(p => p.Name));
        Assert.Equal($"/articles/{NewsPortal.Web.Shared.Slug.From(Title)}", new Uri(article.GetProperty("url").GetString()!).AbsolutePath);
    }
}
