using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;

namespace NewsPortal.Tests.Admin;

/// <summary>Progress reported every tenth of a second and small batches, so a test can watch an upload part-way.</summary>
public sealed class ImportUploadFactory : EditorialFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Import:ProgressIntervalSeconds", "0.1");
        builder.UseSetting("Import:BatchSize", "50");
    }
}

public sealed partial class ImportUploadTests(ImportUploadFactory factory) : IClassFixture<ImportUploadFactory>
{
    /// <summary>Posts files to the import page and returns the job page it redirects to (or the response when it does not).</summary>
    private static async Task<(string? JobUrl, HttpResponseMessage Response)> PostUploadAsync(HttpClient client, bool dryRun, params (string Name, byte[] Content)[] files)
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

        foreach (var (name, bytes) in files)
        {
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
            content.Add(file, "files", name);
        }

        var posted = await client.PostAsync("/admin/import", content);
        return posted.StatusCode == HttpStatusCode.Redirect ? (posted.Headers.Location!.OriginalString, posted) : (null, posted);
    }

    /// <summary>The import runs in the background; its page refreshes itself until the report is there.</summary>
    private static async Task<HttpResponseMessage> WaitForReportAsync(HttpClient client, string jobUrl)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await client.GetAsync(jobUrl);
            var jobPage = await response.ReadDocumentAsync();
            if (jobPage.QuerySelector(".import-report") is not null || jobPage.QuerySelector(".form-errors") is not null || attempt == 300)
            {
                return response;
            }

            // Named, for a failure seen once in CI and not since: what the page was instead of a running import's.
            Assert.True(jobPage.QuerySelector("meta[http-equiv=refresh]") is not null,
                $"{jobUrl} answered {(int)response.StatusCode} at attempt {attempt}, neither running nor reporting: {jobPage.Title} / {jobPage.QuerySelector("main")?.TextContent.Trim()}");
            response.Dispose();
            await Task.Delay(100);
        }
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, bool dryRun, params (string Name, string Content)[] files)
    {
        var (jobUrl, posted) = await PostUploadAsync(client, dryRun, [.. files.Select(f => (f.Name, Encoding.UTF8.GetBytes(f.Content)))]);
        if (jobUrl is null)
        {
            return posted;
        }

        posted.Dispose();
        return await WaitForReportAsync(client, jobUrl);
    }

    /// <summary>Presses "Import for real" on a dry run's report page.</summary>
    private static async Task<HttpResponseMessage> ConfirmAsync(HttpClient client, AngleSharp.Dom.IDocument dryRunReport)
    {
        var form = dryRunReport.QuerySelector("form.import-confirm")!;
        using var content = new FormUrlEncodedContent(
            form.QuerySelectorAll("input[type=hidden]").Select(i => KeyValuePair.Create(i.GetAttribute("name")!, i.GetAttribute("value")!)));
        return await client.PostAsync(form.GetAttribute("action"), content);
    }

    [Fact]
    public async Task AFileNameOfEmojiAndControls_IsReportedCleaned_AndTheImportCompletes()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var name = new string('a', 399) + "😀\u0001.jsonl";

        using var response = await UploadAsync(editor, dryRun: false,
            (name, """{"title":"Story from an oddly named file","publishedOn":"2026-03-01","body":"Odd."}"""));
        var report = await response.ReadDocumentAsync();

        Assert.StartsWith("Imported 1 new story and updated 0", report.TextOf(".import-summary"), StringComparison.Ordinal);
        Assert.Null(report.QuerySelector(".form-errors"));
    }

    [Fact]
    public async Task DryRunUpload_ReportsWithoutWriting_ThenImportForRealImportsTheSameFiles()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var file = ("upload.txt", TempFolder.Snippet("Uploaded story", extraHeaders: "Sources Upload Agency"));

        using var dry = await UploadAsync(editor, dryRun: true, file);
        var dryReport = await dry.ReadDocumentAsync();
        var afterDry = await factory.WithDbAsync(db => db.Articles.CountAsync(a => a.Title == "Uploaded story"));
        using var confirmed = await ConfirmAsync(editor, dryReport);
        using var real = await WaitForReportAsync(editor, confirmed.Headers.Location!.OriginalString);
        var realReport = await real.ReadDocumentAsync();
        using var again = await ConfirmAsync(editor, dryReport);

        Assert.Equal("Dry run report", dryReport.TextOf(".import-report h2"));
        Assert.Contains("would import 1 new story", dryReport.TextOf(".import-summary"));
        Assert.Equal(["1", "1", "0", "0", "0"], dryReport.TextsOf(".counts dd"));
        Assert.Equal(0, afterDry);
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Equal("Import report", realReport.TextOf(".import-report h2"));
        Assert.Equal(1, await factory.WithDbAsync(db => db.Articles.CountAsync(a => a.Title == "Uploaded story")));
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/articles/uploaded-story")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("already been imported", (await again.ReadDocumentAsync()).TextOf(".form-errors"));
        Assert.Equal(1, await factory.WithDbAsync(db => db.Articles.CountAsync(a => a.Title == "Uploaded story")));
    }

    [Fact]
    public async Task TheReport_SaysHowLongItTook_LinksTheNewStories_AndNamesTheCategoriesAndSourcesItCreated()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);

        using var response = await UploadAsync(editor, dryRun: false,
            ("two.jsonl", """
                {"title":"Report story one","publishedOn":"2026-03-01","body":"One.","categories":["Report Desk"],"sources":["Report Wire"]}
                {"title":"Report story two","publishedOn":"2026-03-01","body":"Two.","categories":["Report Desk","Report Extra"],"sources":["Report Wire"]}
                """));
        var report = await response.ReadDocumentAsync();

        Assert.Matches(@"Imported 2 new stories and updated 0, in \d+\.\d s\.", report.TextOf(".import-summary"));
        Assert.Equal(
            [("Report story one", "/articles/report-story-one"), ("Report story two", "/articles/report-story-two")],
            report.QuerySelectorAll(".new-stories a").Select(a => (a.TextContent, a.GetAttribute("href"))));
        Assert.Equal("Report Desk, Report Extra", report.TextOf(".new-categories"));
        Assert.Equal("Report Wire", report.TextOf(".new-sources"));
    }

    [Fact]
    public async Task ADryRunsFiles_AreKeptForAnHour_ThenImportForRealAsksForThemAgain()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        using var dry = await UploadAsync(editor, dryRun: true, ("late.txt", TempFolder.Snippet("Confirmed too late")));
        var dryReport = await dry.ReadDocumentAsync();

        factory.Clock.Advance(TimeSpan.FromMinutes(61));
        // Old uploads are let go when the next one starts.
        using var other = await UploadAsync(editor, dryRun: true, ("other.txt", TempFolder.Snippet("Another dry run")));
        using var late = await ConfirmAsync(editor, dryReport);

        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("no longer kept", (await late.ReadDocumentAsync()).TextOf(".form-errors"));
        Assert.Equal(0, await factory.WithDbAsync(db => db.Articles.CountAsync(a => a.Title == "Confirmed too late")));
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
    public async Task ALargeUpload_ShowsHowManyOfItsStoriesAreDoneWhileItRuns()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var folder = Path.Combine(Path.GetTempPath(), "newsportal-input", Guid.NewGuid().ToString("N"));
        NewsPortal.Corpus.CorpusConverter.Write(folder);
        var corpus = await File.ReadAllBytesAsync(Path.Combine(folder, "current-events.jsonl"));
        Directory.Delete(folder, recursive: true);

        var (jobUrl, posted) = await PostUploadAsync(editor, dryRun: true, ("current-events.jsonl", corpus));
        posted.Dispose();
        var partWay = new List<(long Done, long Total, int Percent)>();
        AngleSharp.Dom.IDocument? done = null;
        // A bound for a machine that is slow or busy, not a speed target: PostgreSQL's dry run of the corpus takes a minute there.
        var giveUpAt = DateTime.UtcNow.AddMinutes(5);
        while (done is null && DateTime.UtcNow < giveUpAt)
        {
            var current = await editor.GetDocumentAsync(jobUrl!);
            if (current.QuerySelector(".import-status") is { } status
                && StoriesDone().Match(status.TextContent) is { Success: true } match
                && current.QuerySelector(".import-progress progress[value]") is { } bar)
            {
                partWay.Add((long.Parse(match.Groups[1].Value.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture),
                    long.Parse(match.Groups[2].Value.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture),
                    int.Parse(bar.GetAttribute("value")!, System.Globalization.CultureInfo.InvariantCulture)));
            }

            done = current.QuerySelector(".import-report") is not null ? current : null;
            await Task.Delay(20);
        }

        Assert.NotNull(done);
        Assert.Equal("10,252", done.QuerySelectorAll(".counts dd")[1].TextContent);
        // Seen part-way: some of the 10,252 stories done, and the bar neither empty nor full.
        Assert.Contains(partWay, p => p.Total == 10_252 && p.Done is > 0 and < 10_252 && p.Percent is > 0 and < 100);
    }

    [GeneratedRegex(@"([\d,]+) of ([\d,]+) stories")]
    private static partial Regex StoriesDone();

    [RedisFact]
    public async Task ADryRunOnOneNode_IsImportedForRealOnAnother_Once()
    {
        using var other = new OtherNodeFactory(factory.Store);
        var email = await factory.CreateUserAsync(Roles.Editor);
        var onA = factory.CreatePlainClient();
        var onB = other.CreatePlainClient();
        (await onA.SignInAsync(email, EditorialFactory.Password)).Dispose();
        (await onB.SignInAsync(email, EditorialFactory.Password)).Dispose();

        var (jobUrl, posted) = await PostUploadAsync(onA, dryRun: true, ("shared.txt", Encoding.UTF8.GetBytes(TempFolder.Snippet("Imported across nodes"))));
        posted.Dispose();
        using var onNodeA = await WaitForReportAsync(onA, jobUrl!);
        using var onNodeB = await WaitForReportAsync(onB, jobUrl!);
        var reportOnA = await onNodeA.ReadDocumentAsync();
        var reportOnB = await onNodeB.ReadDocumentAsync();
        using var confirmedOnB = await ConfirmAsync(onB, reportOnB);
        using var realOnA = await WaitForReportAsync(onA, confirmedOnB.Headers.Location!.OriginalString);
        using var againOnA = await ConfirmAsync(onA, reportOnA);

        Assert.Equal("Dry run report", reportOnB.TextOf(".import-report h2"));
        Assert.Contains("would import 1 new story", reportOnB.TextOf(".import-summary"));
        Assert.Equal(HttpStatusCode.Redirect, confirmedOnB.StatusCode);
        Assert.Equal("Import report", (await realOnA.ReadDocumentAsync()).TextOf(".import-report h2"));
        Assert.Equal(HttpStatusCode.Conflict, againOnA.StatusCode);
        Assert.Contains("already been imported", (await againOnA.ReadDocumentAsync()).TextOf(".form-errors"));
        Assert.Equal(1, await factory.WithDbAsync(db => db.Articles.CountAsync(a => a.Title == "Imported across nodes")));
        // Once imported, the store no longer keeps the dry run's files.
        var url = jobUrl!;
        var dryRun = Guid.Parse(url[(url.IndexOf("job=", StringComparison.Ordinal) + 4)..]);
        Assert.Equal(0, await factory.WithDbAsync(db => db.ImportUploadChunks.CountAsync(c => c.UploadId == dryRun)));
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
