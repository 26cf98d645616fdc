using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Import;

namespace NewsPortal.Tests.Import;

/// <summary>
/// Ctrl-C or SIGTERM after an import's stories are all written: the report says what is in the store, not that the
/// import stopped before it wrote anything.
/// </summary>
public sealed class ImportStopTests(SearchIndexMergeFactory factory) : IClassFixture<SearchIndexMergeFactory>, IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [SqliteFact]
    public async Task StoppedAsTheSearchIndexMergeBegins_TheImportIsReportedWhole_AndSearchFindsItsStories()
    {
        var lines = Enumerable.Range(1, SearchIndexMergeFactory.MergeAfter)
            .Select(i => $$"""{"title":"Ferry timetable changes, route {{i}}","publishedOn":"2025-06-02","body":"Route {{i}} sails later."}""");
        var path = _folder.Write("ferries.jsonl", string.Join('\n', lines));

        var report = await ImportStoppedBeforeAsync("VALUES ('merge'", path);

        Assert.False(report.Interrupted, report.ToString());
        Assert.Equal(SearchIndexMergeFactory.MergeAfter, report.Imported);
        Assert.Contains("Ferry timetable changes, route 17", (await factory.CreateClient().GetDocumentAsync("/search?q=route+17")).TextOf("main"));
    }

    [Fact]
    public async Task StoppedWhileKeepingAMovedStoresAuditLog_ReportsItsStoriesAndTheEntriesKept_AndSaysItStopped()
    {
        _folder.Write("moved/articles.jsonl", """{"title":"Lighthouse keeper retires","publishedOn":"2026-02-01","body":"After forty years.","slug":"lighthouse-keeper-retires"}""");
        var subject = $"moved-{Guid.NewGuid():N}";
        _folder.Write("moved/" + StoreMove.AuditFile, string.Join('\n', Enumerable.Range(1, 501).Select(i =>
            $$"""{"atUtc":"2026-01-01T00:00:00Z","user":"editor@example.org","action":"article.published","subject":"{{subject}}-{{i}}","details":null}""")));

        // The entries are kept 500 at a time, each batch reading the stored ones it spans first: stopped as the
        // second batch begins, the first is in the store.
        var report = await ImportStoppedBeforeAsync("FROM \"AuditLog\"", Path.Combine(_folder.Path, "moved"), occurrence: 2);

        Assert.True(report.Interrupted, report.ToString());
        Assert.Equal((1, 500), (report.Imported, report.KeptOf("audit entries")));
        Assert.Contains("500 audit entries kept", report.ToString());
        Assert.Contains(ImportReport.InterruptedNote, report.ToString());
        Assert.Equal((1, 500), await factory.WithDbAsync(async db => (
            await db.Articles.CountAsync(a => a.Slug == "lighthouse-keeper-retires"),
            await db.AuditLog.CountAsync(e => e.Subject.StartsWith(subject)))));
    }

    /// <summary>
    /// Imports <paramref name="path"/>, stopped (as by Ctrl-C) just before the <paramref name="occurrence"/>th command
    /// holding <paramref name="fragment"/>.
    /// </summary>
    private async Task<ImportReport> ImportStoppedBeforeAsync(string fragment, string path, int occurrence = 1)
    {
        // The site is started first, so that its start-up's commands do not take the hook.
        await using var scope = factory.Services.CreateAsyncScope();
        var importer = scope.ServiceProvider.GetRequiredService<ImportService>();
        using var stop = new CancellationTokenSource();
        Func<Task> StopAt(int left) => left == 1 ? stop.CancelAsync : () =>
        {
            factory.Hook.Once(fragment, StopAt(left - 1));
            return Task.CompletedTask;
        };
        factory.Hook.Once(fragment, StopAt(occurrence));
        var report = await importer.ImportPathsAsync([path], dryRun: false, cancellationToken: stop.Token);
        Assert.True(stop.IsCancellationRequested, $"the import was stopped before {fragment}");
        return report;
    }
}
