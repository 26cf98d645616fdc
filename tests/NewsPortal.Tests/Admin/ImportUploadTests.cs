using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;

namespace NewsPortal.Tests.Admin;

public sealed class ImportUploadTests(EditorialFactory factory) : IClassFixture<EditorialFactory>
{
    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, bool dryRun, params (string Name, string Content)[] files)
    {
        var page = await client.GetDocumentAsync("/admin/import");
        var token = page.QuerySelector("main form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var content = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
        };
        if (dryRun)
        {
            content.Add(new StringContent("true"), "dryRun");
        }

        foreach (var (name, text) in files)
        {
            var file = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
            file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
            content.Add(file, "files", name);
        }

        var posted = await client.PostAsync("/admin/import", content);
        if (posted.StatusCode != HttpStatusCode.Redirect)
        {
            return posted;
        }

        // The import runs in the background; its page refreshes itself until the report is there.
        var jobUrl = posted.Headers.Location!.OriginalString;
        posted.Dispose();
        for (var attempt = 0; ; attempt++)
        {
            var response = await client.GetAsync(jobUrl);
            var jobPage = await response.ReadDocumentAsync();
            if (jobPage.QuerySelector(".import-report") is not null || jobPage.QuerySelector(".form-errors") is not null || attempt == 100)
            {
                return response;
            }

            Assert.NotNull(jobPage.QuerySelector("meta[http-equiv=refresh]"));
            response.Dispose();
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task DryRunUpload_ReportsWithoutWriting_ThenTheRealUploadImports()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var file = ("upload.txt", TempFolder.Snippet("Uploaded story", extraHeaders: "Sources Upload Agency"));

        using var dry = await UploadAsync(editor, dryRun: true, file);
        var dryReport = await dry.ReadDocumentAsync();
        var afterDry = await factory.WithDbAsync(db => db.Articles.CountAsync(a => a.Title == "Uploaded story"));
        using var real = await UploadAsync(editor, dryRun: false, file);
        var realReport = await real.ReadDocumentAsync();

        Assert.Equal("Dry run report", dryReport.TextOf(".import-report h2"));
        Assert.Equal(["1", "1", "0", "0", "0"], dryReport.TextsOf(".counts dd"));
        Assert.Equal(0, afterDry);
        Assert.Equal("Import report", realReport.TextOf(".import-report h2"));
        Assert.Equal(1, await factory.WithDbAsync(db => db.Articles.CountAsync(a => a.Title == "Uploaded story")));
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/articles/uploaded-story")).StatusCode);
    }

    [Fact]
    public async Task UploadWithABadFile_ListsItsFileAndLine_AndImportsTheGoodOnes()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);

        using var response = await UploadAsync(editor, dryRun: false,
            ("good.jsonl", """{"title":"Good upload","publishedOn":"2026-03-01","body":"Fine."}"""),
            ("bad.txt", "Bad upload\n\nPublished on February 31, 2026\n\nBody."));
        var report = await response.ReadDocumentAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["2", "1", "0", "0", "1"], report.TextsOf(".counts dd"));
        Assert.StartsWith("bad.txt:3: 'Published on' date 'February 31, 2026' is not a real date", report.TextOf(".problems li"));
    }

    [Fact]
    public async Task ALargeUpload_ShowsItsProgressWhileItRuns()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var folder = Path.Combine(Path.GetTempPath(), "newsportal-input", Guid.NewGuid().ToString("N"));
        NewsPortal.Corpus.CorpusConverter.Write(folder);
        var corpus = await File.ReadAllBytesAsync(Path.Combine(folder, "current-events.jsonl"));
        Directory.Delete(folder, recursive: true);
        var page = await editor.GetDocumentAsync("/admin/import");
        var token = page.QuerySelector("main form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var content = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("true"), "dryRun" },
            { new ByteArrayContent(corpus), "files", "current-events.jsonl" },
        };

        using var posted = await editor.PostAsync("/admin/import", content);
        var sawProgress = false;
        AngleSharp.Dom.IDocument? done = null;
        for (var attempt = 0; attempt < 300 && done is null; attempt++)
        {
            var current = await editor.GetDocumentAsync(posted.Headers.Location!.OriginalString);
            sawProgress |= current.QuerySelector(".import-progress progress") is not null;
            done = current.QuerySelector(".import-report") is not null ? current : null;
            await Task.Delay(100);
        }

        Assert.True(sawProgress, "The page never showed the import in progress.");
        Assert.NotNull(done);
        Assert.Equal("10252", done.QuerySelectorAll(".counts dd")[1].TextContent);
    }

    [Fact]
    public async Task AnImportPage_IsOnlyForWhoeverStartedIt()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var other = await factory.SignedInClientAsync(Roles.Editor);
        var page = await editor.GetDocumentAsync("/admin/import");
        var token = page.QuerySelector("main form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var content = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("true"), "dryRun" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(TempFolder.Snippet("Private import"))), "files", "private.txt" },
        };

        using var posted = await editor.PostAsync("/admin/import", content);
        using var peek = await other.GetAsync(posted.Headers.Location!.OriginalString);

        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, peek.StatusCode);
    }

    [Fact]
    public async Task UploadWithNoFiles_IsAFormError()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);

        using var response = await UploadAsync(editor, dryRun: true);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Choose at least one file", (await response.ReadDocumentAsync()).TextOf(".form-errors"));
    }
}
