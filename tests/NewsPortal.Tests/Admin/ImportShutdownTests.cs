using System.Net;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;
using NewsPortal.Web.Import;

namespace NewsPortal.Tests.Admin;

/// <summary>The site stopping while an upload imports: it stops cleanly, and the import's page says what happened.</summary>
public sealed class ImportShutdownTests(ImportUploadFactory factory) : IClassFixture<ImportUploadFactory>
{
    [Fact]
    public async Task StoppingPastTheWaitForAnImport_EndsCleanly_AndTheImportSaysItWasInterrupted()
    {
        using var folder = new TempFolder();
        var lines = Enumerable.Range(1, 20_000).Select(i => $$"""{"title":"Interrupted story {{i}}","publishedOn":"2025-06-02","body":"Body {{i}}."}""");
        var file = folder.Write("upload/many.jsonl", string.Join('\n', lines));
        var jobs = factory.Services.GetRequiredService<ImportJobs>();
        var job = jobs.Start(new ImportUpload(Path.GetDirectoryName(file)!, [("many.jsonl", file)], 20_000, DateTime.UtcNow), dryRun: false, "editor@example.org");

        var stop = await Record.ExceptionAsync(() => jobs.StopAsync(new CancellationToken(canceled: true)));

        Assert.Null(stop);
        Assert.Equal(ImportJobs.Interrupted, job.Failure);
    }

    [Fact]
    public async Task AnImportPageFromBeforeARestart_SaysSo()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);

        using var response = await editor.GetAsync($"/admin/import?job={Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("it may be from before the site restarted", (await response.ReadDocumentAsync()).TextOf("main p"));
    }
}
