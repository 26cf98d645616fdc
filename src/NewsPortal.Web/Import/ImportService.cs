using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using NewsPortal.Web.Caching;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Import;

/// <summary>Progress of a long import, reported about once a second.</summary>
public sealed record ImportProgress(int Files, int TotalFiles, long Stories, double StoriesPerSecond, double Fraction, TimeSpan? Remaining);

/// <summary>
/// The one import pipeline behind the CLI, the seed, the admin upload and the API: snippet files and JSON Lines,
/// one transaction per file (a file imports whole or not at all), duplicates matched rather than added twice.
/// </summary>
public sealed class ImportService(
    NewsDbContext db,
    ArticleWriter writer,
    PageCache cache,
    IOptions<ImportOptions> importOptions,
    IOptions<PortalOptions> portalOptions,
    ILogger<ImportService> logger)
{
    private static readonly string[] FolderExtensions = [".txt", ".snippet", ".jsonl", ".ndjson"];

    private ImportOptions Limits => importOptions.Value;

    /// <summary>Imports files, and folders recursively (their .txt, .snippet, .jsonl and .ndjson files).</summary>
    public async Task<ImportReport> ImportPathsAsync(
        IReadOnlyList<string> paths, bool dryRun, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var report = new ImportReport { DryRun = dryRun };
        var files = new List<(string Path, string Name)>();
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                files.Add((path, path));
            }
            else if (Directory.Exists(path))
            {
                files.AddRange(Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => FolderExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()) && !Path.GetFileName(f).StartsWith('.'))
                    .Order(StringComparer.Ordinal)
                    .Select(f => (f, f)));
            }
            else
            {
                report.Reject(path, 0, [new ImportProblem(path, 0, "no such file or folder")], 0);
            }
        }

        var totalBytes = files.Sum(f => new FileInfo(f.Path).Length);
        var tracker = new ProgressTracker(files.Count, totalBytes, progress, logger, Limits.ProgressIntervalSeconds);
        await RunAsync(report, dryRun, async () =>
        {
            foreach (var (path, name) in files)
            {
                await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
                await ImportFileAsync(name, stream, dryRun, report, tracker, keepSlugs: false, cancellationToken);
                tracker.FileDone(stream.Length);
            }
        }, cancellationToken);
        return report;
    }

    /// <summary>Imports named inputs (uploads, a request body) in either format, one transaction each.</summary>
    public async Task<ImportReport> ImportStreamsAsync(
        IReadOnlyList<(string Name, Func<Stream> Open)> inputs, bool dryRun, CancellationToken cancellationToken = default, IProgress<ImportProgress>? progress = null)
    {
        var report = new ImportReport { DryRun = dryRun };
        var tracker = new ProgressTracker(inputs.Count, 0, progress, logger, Limits.ProgressIntervalSeconds);
        await RunAsync(report, dryRun, async () =>
        {
            foreach (var (name, open) in inputs)
            {
                await using var content = open();
                await ImportFileAsync(name, content, dryRun, report, tracker, keepSlugs: false, cancellationToken);
                tracker.FileDone(0);
            }
        }, cancellationToken);
        return report;
    }

    /// <summary>Imports stories given as objects (the seed's builder in tests, the editor's form); the report lists their slugs.</summary>
    public async Task<ImportReport> ImportDocumentsAsync(string name, IReadOnlyList<SnippetDocument> documents, CancellationToken cancellationToken = default)
    {
        var report = new ImportReport();
        var records = documents.Select((d, i) => new ImportRecord(i + 1, d, [])).ToAsyncEnumerable();
        var tracker = new ProgressTracker(1, 0, null, logger, Limits.ProgressIntervalSeconds);
        await RunAsync(report, dryRun: false, () => ImportRecordsAsync(name, records, dryRun: false, report, tracker, keepSlugs: true, cancellationToken), cancellationToken);
        return report;
    }

    private async Task RunAsync(ImportReport report, bool dryRun, Func<Task> import, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        writer.Forget();

        // A dry run writes inside one transaction that is never committed, so later files see earlier ones.
        await using var dryRunTransaction = dryRun ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        await import();
        if (dryRunTransaction is not null)
        {
            await dryRunTransaction.RollbackAsync(cancellationToken);
            writer.Forget();
        }

        report.Elapsed = started.Elapsed;
        logger.LogInformation(
            "Import finished{DryRun}: {Files} files, {Imported} imported, {Updated} updated, {Unchanged} unchanged, {RejectedFiles} files rejected in {Seconds:0.0} s",
            dryRun ? " (dry run)" : "", report.Files, report.Imported, report.Updated, report.Unchanged, report.RejectedFiles.Count, report.Elapsed.TotalSeconds);
    }

    private async Task ImportFileAsync(
        string name, Stream content, bool dryRun, ImportReport report, ProgressTracker tracker, bool keepSlugs, CancellationToken cancellationToken)
    {
        if (content.CanSeek && content.Length > Limits.MaxFileBytes)
        {
            report.CountFile();
            report.Reject(name, 0, [new ImportProblem(name, 1, $"the file is {content.Length:N0} bytes; the limit is {Limits.MaxFileBytes:N0} (Import:MaxFileBytes)")], 0);
            return;
        }

        var format = ImportReader.DetectFormat(name, content);
        tracker.CurrentFile = content;
        await ImportRecordsAsync(name, ImportReader.ReadAsync(name, content, format, cancellationToken), dryRun, report, tracker, keepSlugs, cancellationToken);
    }

    private async Task ImportRecordsAsync(
        string name,
        IAsyncEnumerable<ImportRecord> records,
        bool dryRun,
        ImportReport report,
        ProgressTracker tracker,
        bool keepSlugs,
        CancellationToken cancellationToken)
    {
        report.CountFile();
        var problems = new List<ImportProblem>();
        var unlisted = 0;
        var stories = 0;
        var results = new List<WriteResult>();
        var batch = new List<SnippetDocument>(Limits.BatchSize);
        var batchLines = new List<int>(Limits.BatchSize);

        // One transaction per file; in a dry run, a savepoint inside the run's transaction.
        var transaction = dryRun ? null : await db.Database.BeginTransactionAsync(cancellationToken);
        if (dryRun)
        {
            await db.Database.CurrentTransaction!.CreateSavepointAsync("file", cancellationToken);
        }

        try
        {
            await foreach (var record in records)
            {
                stories++;
                var document = record.Document is { } raw ? SnippetRules.Normalize(raw) : null;
                var recordProblems = document is not null
                    ? SnippetRules.Check(document, Limits).Select(reason => new ImportProblem(name, record.Line, reason)).ToList()
                    : record.Problems;
                if (recordProblems.Count > 0)
                {
                    foreach (var problem in recordProblems)
                    {
                        if (problems.Count < Limits.MaxProblemsPerFile)
                        {
                            problems.Add(problem);
                        }
                        else
                        {
                            unlisted++;
                        }
                    }

                    continue;
                }

                // Once a file is rejected, keep reading only to report every problem in it.
                if (problems.Count > 0)
                {
                    continue;
                }

                batch.Add(document!);
                batchLines.Add(record.Line);
                if (batch.Count == Limits.BatchSize)
                {
                    results.AddRange(await WriteBatchAsync(name, batch, batchLines, problems, cancellationToken));
                    tracker.Stories(batch.Count);
                    batch.Clear();
                    batchLines.Clear();
                }
            }

            if (problems.Count == 0 && batch.Count > 0)
            {
                results.AddRange(await WriteBatchAsync(name, batch, batchLines, problems, cancellationToken));
                tracker.Stories(batch.Count);
            }
        }
        catch
        {
            await RollBackAsync(transaction, cancellationToken);
            throw;
        }

        if (problems.Count > 0)
        {
            await RollBackAsync(transaction, cancellationToken);
            report.Reject(name, stories, problems, unlisted);
            logger.LogWarning("Rejected {File}: {Problems} problem(s), first: {FirstProblem}", name, problems.Count + unlisted, problems[0].ToString());
            return;
        }

        if (transaction is not null)
        {
            // The pages the file changes are evicted here and, through the log saved with the file, by every process.
            var changes = writer.TakeChanges();
            HashSet<string> tags = changes is null ? [CacheTags.All] : await cache.TagsForAsync(changes.Select(c => (c.Before, (ArticleState?)c.After)), cancellationToken);
            cache.Record(tags);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            await transaction.DisposeAsync();
            await cache.EvictAsync(tags, cancellationToken);
        }
        else
        {
            writer.TakeChanges();
            await db.Database.CurrentTransaction!.ReleaseSavepointAsync("file", cancellationToken);
        }

        report.Accept(results);
        if (keepSlugs)
        {
            report.Slugs.AddRange(results.Select(r => r.Slug));
        }
    }

    private async Task<IReadOnlyList<WriteResult>> WriteBatchAsync(
        string name, List<SnippetDocument> batch, List<int> lines, List<ImportProblem> problems, CancellationToken cancellationToken)
    {
        try
        {
            return await writer.WriteAsync(batch, portalOptions.Value.DefaultLanguage, cancellationToken);
        }
        catch (DbUpdateException ex)
        {
            // The store refused the batch (a constraint the checks above did not foresee): reject the file, don't crash.
            logger.LogError(ex, "Could not save stories from {File}", name);
            problems.Add(new ImportProblem(name, lines[0], $"the stories from this line on could not be saved: {ex.InnerException?.Message ?? ex.Message}"));
            return [];
        }
    }

    private async Task RollBackAsync(IDbContextTransaction? transaction, CancellationToken cancellationToken)
    {
        if (transaction is not null)
        {
            await transaction.RollbackAsync(cancellationToken);
            await transaction.DisposeAsync();
        }
        else
        {
            await db.Database.CurrentTransaction!.RollbackToSavepointAsync("file", cancellationToken);
        }

        writer.Forget();
    }

    /// <summary>Counts stories and bytes, and reports rate, share done and time left about once a second.</summary>
    private sealed class ProgressTracker(int totalFiles, long totalBytes, IProgress<ImportProgress>? progress, ILogger logger, double intervalSeconds)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private TimeSpan _lastReport;
        private int _files;
        private long _stories;
        private long _bytesDone;

        /// <summary>The input being read, whose position tells how far through a large file the import is.</summary>
        public Stream? CurrentFile { get; set; }

        public void Stories(int count)
        {
            _stories += count;
            Report(force: false);
        }

        public void FileDone(long bytes)
        {
            _files++;
            _bytesDone += bytes;
            CurrentFile = null;
            Report(force: _files == totalFiles);
        }

        private void Report(bool force)
        {
            var elapsed = _clock.Elapsed;
            if (!force && (elapsed - _lastReport).TotalSeconds < intervalSeconds)
            {
                return;
            }

            _lastReport = elapsed;
            var rate = _stories / Math.Max(elapsed.TotalSeconds, 0.001);
            var bytes = _bytesDone + (CurrentFile is { CanSeek: true } file ? file.Position : 0);
            var fraction = totalBytes > 0 ? Math.Min(1, (double)bytes / totalBytes) : (double)_files / Math.Max(totalFiles, 1);
            TimeSpan? remaining = fraction > 0 ? TimeSpan.FromSeconds(elapsed.TotalSeconds * (1 - fraction) / fraction) : null;
            var update = new ImportProgress(_files, totalFiles, _stories, rate, fraction, remaining);
            progress?.Report(update);
            logger.LogInformation(
                "Import progress: {Files}/{TotalFiles} files, {Stories} stories, {Rate:0} stories/s, {Percent:0}% done, ETA {Remaining}",
                update.Files, update.TotalFiles, update.Stories, update.StoriesPerSecond, update.Fraction * 100,
                update.Remaining is { } left ? $"{left.TotalSeconds:0} s" : "unknown");
        }
    }
}
