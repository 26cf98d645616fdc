using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using NewsPortal.Web.Caching;
using NewsPortal.Web.Data;
using NewsPortal.Web.Search;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Import;

/// <summary>Progress of a long import, reported about once a second. <see cref="TotalStories"/> is 0 when not known ahead.</summary>
public sealed record ImportProgress(int Files, int TotalFiles, long Stories, long TotalStories, double StoriesPerSecond, double Fraction, TimeSpan? Remaining);

/// <summary>A story read, checked and with its lede and plain text made, ready to be written; or the problems that keep it out.</summary>
public sealed record PreparedStory(int Line, SnippetDocument? Document, string? Lede, string? BodyText, IReadOnlyList<ImportProblem> Problems);

/// <summary>
/// The one import pipeline behind the CLI, the seed, the admin upload and the API: snippet files and JSON Lines,
/// each file imported whole or not at all, duplicates matched rather than added twice. Reading and checking run
/// on their own thread ahead of the one writer; the writer puts many small files in one transaction, each behind its
/// own savepoint, and commits at file boundaries about once a second, so a file is never half-written and the report
/// counts only what was committed. Bodies are rendered to HTML afterwards, in the background (<see cref="Articles.BodyRenderer"/>).
/// </summary>
public sealed class ImportService(
    NewsDbContext db,
    ArticleWriter writer,
    ArticleInserter inserter,
    StoreMove storeMove,
    PageCache cache,
    MarkdownRenderer markdown,
    IOptions<ImportOptions> importOptions,
    IOptions<PortalOptions> portalOptions,
    TimeProvider clock,
    ILogger<ImportService> logger)
{
    private static readonly string[] FolderExtensions = [".txt", ".snippet", ".jsonl", ".ndjson"];

    /// <summary>Stories written before a commit is due; a larger file is still one transaction of its own.</summary>
    private const int StoriesPerCommit = 2_000;

    private static readonly TimeSpan CommitInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Text a batch holds at most (and one story more), whatever its story count: a batch of the longest stories would
    /// otherwise be hundreds of megabytes (each body is held as read, as plain text and as rendered). Up to six batches
    /// are held at once when the writer falls behind (four waiting, one being read, one being written): at a million
    /// characters, five stories at the 250,000-character limit, that was about 50 MB, and on a busy machine the
    /// 64 MB import of the longest stories ran out at its start. At half that, a batch is three such stories at most,
    /// and still 500 stories of ordinary length (about 900 characters each in the benchmark's stores).
    /// </summary>
    private const int BatchCharacters = 1 << 19;

    /// <summary>SQLite's page cache while importing: the indexes a large import touches stay in memory.</summary>
    private const int ImportCacheKilobytes = 64 * 1024;

    private const int ImportCheckpointPages = 16_384;

    private ImportOptions Limits => importOptions.Value;

    /// <summary>Imports files, and folders recursively (their .txt, .snippet, .jsonl and .ndjson files).</summary>
    public async Task<ImportReport> ImportPathsAsync(
        IReadOnlyList<string> paths, bool dryRun, IProgress<ImportProgress>? progress = null, MoveSeal? seal = null, CancellationToken cancellationToken = default)
    {
        var report = new ImportReport { DryRun = dryRun };
        var files = new List<(string Name, string Path)>();
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                files.Add((path, path));
            }
            else if (Directory.Exists(path))
            {
                files.AddRange(Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => FolderExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()) && !Path.GetFileName(f).StartsWith('.')
                        && !StoreMove.IsBeside(f, path))
                    .Order(StringComparer.Ordinal)
                    .Select(f => (f, f)));
            }
            else
            {
                report.Reject(path, 0, [new ImportProblem(path, 0, "no such file or folder")], 0);
            }
        }

        try
        {
            await ImportFilesAsync(report, files, expectedStories: 0, progress, cancellationToken);
            foreach (var folder in paths.Where(Directory.Exists))
            {
                await storeMove.KeepAsync(report, folder, Limits.MaxFileBytes, seal, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped (Ctrl-C, SIGTERM): the report counts what was committed (story files whole, a moved store's
            // other files by the batch); the rest rolled back. Stopped after the stories, they are all in: saying
            // "nothing was kept" then would send an editor to look for stories that are there.
            report.Interrupted = true;
        }

        return report;
    }

    /// <summary>
    /// Imports files saved under other names (uploads kept on disk) into <paramref name="report"/>, which the caller
    /// holds so what was committed stays counted there if the import fails: each file is reported by its name.
    /// Progress goes by the bytes read, so one large file shows how far through it the import is, and counts stories
    /// against <paramref name="expectedStories"/> when the caller knows it.
    /// </summary>
    public async Task ImportFilesAsync(
        ImportReport report, IReadOnlyList<(string Name, string Path)> files, long expectedStories, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var inputs = files.Select(file => new Input(file.Name, () => OpenFile(file.Path), null)).ToList();
        var totalBytes = files.Sum(f => LengthOf(f.Path));
        await RunAsync(report, inputs, report.DryRun, keepSlugs: false,
            new ProgressTracker(files.Count, totalBytes, expectedStories, progress, logger, Limits.ProgressIntervalSeconds), cancellationToken);
    }

    /// <summary>
    /// A file to read. One of no bytes is read as empty without being opened: a named pipe or a device in a folder
    /// (which report no size, as an empty file does) would otherwise be opened, and an import wait for a writer that
    /// never comes, or read a device without end.
    /// </summary>
    private static Stream OpenFile(string path)
        => new FileInfo(path).Length == 0
            ? new MemoryStream([], writable: false)
            : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);

    /// <summary>A file's size for progress; nothing for one that cannot be read (which its import reports).</summary>
    private static long LengthOf(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>Imports named inputs (uploads, a request body) in either format, each all or nothing.</summary>
    public async Task<ImportReport> ImportStreamsAsync(
        IReadOnlyList<(string Name, Func<Stream> Open)> inputs, bool dryRun, CancellationToken cancellationToken = default, IProgress<ImportProgress>? progress = null)
    {
        var report = new ImportReport { DryRun = dryRun };
        await RunAsync(report, [.. inputs.Select(i => new Input(i.Name, i.Open, null))], dryRun, keepSlugs: false,
            new ProgressTracker(inputs.Count, 0, 0, progress, logger, Limits.ProgressIntervalSeconds), cancellationToken);
        return report;
    }

    /// <summary>Imports stories given as objects (the seed's builder in tests, the editor's form); the report lists their slugs.</summary>
    public async Task<ImportReport> ImportDocumentsAsync(string name, IReadOnlyList<SnippetDocument> documents, CancellationToken cancellationToken = default)
    {
        var report = new ImportReport();
        await RunAsync(report, [new Input(name, null, documents)], dryRun: false, keepSlugs: true,
            new ProgressTracker(1, 0, 0, null, logger, Limits.ProgressIntervalSeconds), cancellationToken);
        return report;
    }

    private async Task RunAsync(ImportReport report, IReadOnlyList<Input> inputs, bool dryRun, bool keepSlugs, ProgressTracker tracker, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        writer.Forget();

        // One connection for the whole import, with a larger page cache while it writes.
        await db.Database.OpenConnectionAsync(cancellationToken);
        var sqlite = db.Database.IsSqlite();
        if (sqlite)
        {
            // A larger page cache, and the write-ahead log copied back into the store less often, in longer runs.
            await db.Database.ExecuteSqlRawAsync($"PRAGMA cache_size=-{ImportCacheKilobytes}; PRAGMA wal_autocheckpoint={ImportCheckpointPages};", cancellationToken);
        }

        // Reading and rendering run ahead of the writer, a few batches at most, so memory follows the batch size.
        var chunks = Channel.CreateBounded<Chunk>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = Task.Run(() => ReadAllAsync(inputs, chunks.Writer, tracker, stop.Token), CancellationToken.None);
        try
        {
            await WriteAllAsync(chunks.Reader, report, dryRun, keepSlugs, tracker, cancellationToken);
            var storiesWritten = report.Imported + report.Updated;
            if (sqlite && !dryRun && storiesWritten >= Limits.MergeSearchIndexAfter)
            {
                await MergeSearchIndexAsync(storiesWritten, cancellationToken);
            }

            tracker.Finished();
        }
        finally
        {
            // The writer is done (or failed): let the reader stop and finish before the context goes away.
            await stop.CancelAsync();
            try
            {
                await reading;
            }
            catch (OperationCanceledException)
            {
            }

            if (sqlite)
            {
                await db.Database.ExecuteSqlRawAsync(
                    $"PRAGMA cache_size=-{SqliteConnectionSetup.CacheKilobytes}; PRAGMA wal_autocheckpoint={SqliteConnectionSetup.CheckpointPages};", CancellationToken.None);
            }

            await db.Database.CloseConnectionAsync();
            report.Elapsed = started.Elapsed;
        }

        logger.LogInformation(
            "Import finished{DryRun}: {Files} files, {Imported} imported, {Updated} updated, {Unchanged} unchanged, {RejectedFiles} files rejected in {Seconds:0.0} s",
            dryRun ? " (dry run)" : "", report.Files, report.Imported, report.Updated, report.Unchanged, report.RejectedFiles.Count, report.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Merges the SQLite search index into one segment after a large import, in short steps (see
    /// <see cref="SearchIndexUpkeep.MergeAsync"/>). Only a speed-up: an import stopped during it has written every story,
    /// and is not reported as stopped.
    /// </summary>
    private async Task MergeSearchIndexAsync(int storiesWritten, CancellationToken cancellationToken)
    {
        var merging = Stopwatch.StartNew();
        try
        {
            await SearchIndexUpkeep.MergeAsync(db.Database, clock, cancellationToken);
            logger.LogInformation("Merged the search index into one segment after {Stories} stories in {Seconds:0.0} s", storiesWritten, merging.Elapsed.TotalSeconds);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Stopped merging the search index after {Stories} stories: every story is stored, and searches read the index as it is", storiesWritten);
        }
    }

    /// <summary>Reads each input in turn, a batch at a time, checking and rendering each batch's stories in parallel.</summary>
    private async Task ReadAllAsync(IReadOnlyList<Input> inputs, ChannelWriter<Chunk> chunks, ProgressTracker tracker, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var input in inputs)
            {
                await chunks.WriteAsync(Chunk.Start(input.Name), cancellationToken);
                var stories = 0;
                if (input.Documents is { } documents)
                {
                    var records = documents.Select((d, i) => new ImportRecord(i + 1, d, [])).ToList();
                    stories = records.Count;
                    await chunks.WriteAsync(Chunk.Of(input.Name, Prepare(input.Name, records)), cancellationToken);
                }
                else
                {
                    var (content, failure) = Open(input);
                    if (content is null)
                    {
                        // One file that cannot be opened (gone, unreadable, a link that loops) is that file's problem alone.
                        var problem = new ImportProblem(input.Name, 1, $"the file could not be read: {failure}");
                        await chunks.WriteAsync(Chunk.Of(input.Name, [new PreparedStory(1, null, null, null, [problem])], countsAsStory: false), cancellationToken);
                        tracker.FileRead(0);
                    }
                    else
                    {
                        await using var opened = content;
                        if (content.CanSeek && content.Length > Limits.MaxFileBytes)
                        {
                            var problem = new ImportProblem(input.Name, 1, $"the file is {content.Length:N0} bytes; the limit is {Limits.MaxFileBytes:N0} (Import:MaxFileBytes)");
                            await chunks.WriteAsync(Chunk.Of(input.Name, [new PreparedStory(1, null, null, null, [problem])], countsAsStory: false), cancellationToken);
                        }
                        else
                        {
                            tracker.CurrentFile = content;
                            var batch = new List<ImportRecord>(Limits.BatchSize);
                            var batchCharacters = 0;
                            var format = ImportReader.DetectFormat(input.Name, content);
                            await foreach (var record in ImportReader.ReadAsync(input.Name, content, format, Limits.MaxStoryCharacters, cancellationToken))
                            {
                                batch.Add(record);
                                batchCharacters += Characters(record.Document);
                                if (batch.Count == Limits.BatchSize || batchCharacters >= BatchCharacters)
                                {
                                    stories += batch.Count;
                                    await chunks.WriteAsync(Chunk.Of(input.Name, Prepare(input.Name, batch)), cancellationToken);
                                    batch = new List<ImportRecord>(Limits.BatchSize);
                                    batchCharacters = 0;
                                }
                            }

                            stories += batch.Count;
                            await chunks.WriteAsync(Chunk.Of(input.Name, Prepare(input.Name, batch)), cancellationToken);
                        }

                        tracker.FileRead(content.CanSeek ? content.Length : 0);
                    }
                }

                await chunks.WriteAsync(Chunk.End(input.Name, stories), cancellationToken);
            }

            chunks.Complete();
        }
        catch (Exception ex)
        {
            chunks.Complete(ex);
        }
    }

    private static (Stream? Content, string? Failure) Open(Input input)
    {
        try
        {
            return (input.Open!(), null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, ex.Message);
        }
    }

    private static int Characters(SnippetDocument? document) => document is null ? 0 : document.Title.Length + document.Body.Length;

    /// <summary>Normalises and checks a batch of records and makes each story's lede and plain text: the work that needs no store.</summary>
    private List<PreparedStory> Prepare(string name, List<ImportRecord> records)
    {
        var prepared = new List<PreparedStory>(records.Count);
        foreach (var record in records)
        {
            if (record.Document is not { } raw)
            {
                prepared.Add(new PreparedStory(record.Line, null, null, null, record.Problems));
                continue;
            }

            var document = SnippetRules.Normalize(raw);
            var problems = SnippetRules.Check(document, Limits).Select(reason => new ImportProblem(name, record.Line, reason)).ToList();
            prepared.Add(problems.Count > 0
                ? new PreparedStory(record.Line, null, null, null, problems)
                : new PreparedStory(record.Line, document, document.Summary ?? markdown.Lede(document.Body, Articles.Article.LedeMaxLength), markdown.PlainText(document.Body), []));
        }

        return prepared;
    }

    /// <summary>
    /// Writes the chunks in order, inside a transaction shared by consecutive files and committed at a file boundary
    /// once enough is written (or a second has passed). Small files are gathered and written together, a batch at a
    /// time; a file too large to gather is written as it is read, in a transaction of its own. Either way a file
    /// is all or nothing: one with a problem is written not at all, and if the store refuses a gathered batch, its
    /// files are written again one by one, each behind its own savepoint, to find the one at fault. A dry run shares
    /// one transaction that is never committed.
    /// </summary>
    private async Task WriteAllAsync(ChannelReader<Chunk> chunks, ImportReport report, bool dryRun, bool keepSlugs, ProgressTracker tracker, CancellationToken cancellationToken)
    {
        IDbContextTransaction? transaction = null;
        var sinceCommit = Stopwatch.StartNew();
        var storiesSinceCommit = 0;
        var pending = new List<WrittenTally>();
        var gathered = new List<FileState>();
        var gatheredStories = 0;
        var gatheredCharacters = 0;
        FileState? file = null;

        async Task<IDbContextTransaction> TransactionAsync()
        {
            if (transaction is null)
            {
                transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                if (dryRun)
                {
                    await StoreDialect.Of(db.Database).SkipSearchVectorsAsync(db, cancellationToken);
                }
                else
                {
                    // Imports write one at a time, a transaction (about a second) each, as SQLite's one writer does
                    // anyway: two imports of one file at once on PostgreSQL raced for each new name and story, and the
                    // loser was refused. A dry run, never committed, would hold it throughout, and writes nothing kept.
                    await StoreDialect.Of(db.Database).LockForTransactionAsync(db, "import", cancellationToken);
                }

                // Started outside every file's savepoint, so a file rolled back leaves it on for the files after.
                await inserter.CollectCountsAsync(cancellationToken);
            }

            return transaction;
        }

        async Task CommitPendingAsync()
        {
            if (transaction is not null)
            {
                await CommitAsync(transaction, report, pending, cancellationToken);
                transaction = null;
            }

            storiesSinceCommit = 0;
            sinceCommit.Restart();
        }

        // A file written as it is read is all or nothing by its own transaction (or its own savepoint in a dry run):
        // kept when it is whole, rolled back when it has a problem.
        async Task FinishAsync(FileState done)
        {
            if (done.Problems.Count > 0)
            {
                if (done.OwnsTransaction)
                {
                    await transaction!.RollbackAsync(cancellationToken);
                    await transaction.DisposeAsync();
                    transaction = null;
                    writer.Forget();
                }
                else if (done.HasSavepoint)
                {
                    await transaction!.RollbackToSavepointAsync("file", cancellationToken);
                    writer.Forget();
                }

                report.Reject(done.Name, done.StoryCount, done.Problems, done.Unlisted);
                logger.LogWarning("Rejected {File}: {Problems} problem(s), first: {FirstProblem}", done.Name, done.Problems.Count + done.Unlisted, done.Problems[0].ToString());
                return;
            }

            if (done.HasSavepoint)
            {
                await transaction!.ReleaseSavepointAsync("file", cancellationToken);
            }

            pending.Add(done.Written);
            storiesSinceCommit += done.Written.Count;
        }

        async Task WriteGatheredAsync()
        {
            if (gathered.Count == 0)
            {
                return;
            }

            var together = await TransactionAsync();
            var written = false;
            if (gathered.Count > 1)
            {
                await together.CreateSavepointAsync("files", cancellationToken);
                try
                {
                    var results = await writer.WriteAsync([.. gathered.SelectMany(f => f.Gathered)], portalOptions.Value.DefaultLanguage, cancellationToken);
                    var at = 0;
                    foreach (var each in gathered)
                    {
                        each.Written.Add(results.Skip(at).Take(each.Gathered.Count));
                        at += each.Gathered.Count;
                    }

                    await together.ReleaseSavepointAsync("files", cancellationToken);
                    tracker.Stories(gatheredStories);
                    written = true;
                }
                catch (Exception ex) when (IsRefusal(ex))
                {
                    logger.LogWarning(ex, "The store refused {Files} files written together; writing them one by one", gathered.Count);
                    await together.RollbackToSavepointAsync("files", cancellationToken);
                    writer.Forget();
                }
            }

            foreach (var each in gathered)
            {
                if (!written)
                {
                    await together.CreateSavepointAsync("file", cancellationToken);
                    each.HasSavepoint = true;
                    await WriteStoriesAsync(each, each.Gathered, tracker, cancellationToken);
                }

                await FinishAsync(each);
            }

            gathered.Clear();
            gatheredStories = 0;
            gatheredCharacters = 0;
        }

        try
        {
            await foreach (var chunk in chunks.ReadAllAsync(cancellationToken))
            {
                switch (chunk.Kind)
                {
                    case ChunkKind.Start:
                        file = new FileState(chunk.Name, keepSlugs);
                        report.CountFile();
                        break;

                    case ChunkKind.Stories:
                        var valid = Check(file!, chunk.Items);
                        if (file!.WrittenAsRead)
                        {
                            await WriteStoriesAsync(file, valid, tracker, cancellationToken);
                        }
                        else if (file.Problems.Count == 0)
                        {
                            file.Gathered.AddRange(valid);
                            file.GatheredCharacters += valid.Sum(story => Characters(story.Document));
                            if (file.Gathered.Count > Limits.BatchSize || file.GatheredCharacters > BatchCharacters)
                            {
                                // Too large to gather: the files before it are written, then it is, as it is read. In a
                                // transaction of its own rather than behind a savepoint: SQLite copies every page a
                                // savepoint changes aside first, which made a large import a tenth slower.
                                await WriteGatheredAsync();
                                if (dryRun)
                                {
                                    await (await TransactionAsync()).CreateSavepointAsync("file", cancellationToken);
                                    file.HasSavepoint = true;
                                }
                                else
                                {
                                    await CommitPendingAsync();
                                    await TransactionAsync();
                                    file.OwnsTransaction = true;
                                }

                                await WriteStoriesAsync(file, file.Gathered, tracker, cancellationToken);
                                file.Gathered.Clear();
                                file.GatheredCharacters = 0;
                            }
                        }

                        break;

                    case ChunkKind.End:
                        file!.StoryCount = chunk.StoryCount;
                        if (file.WrittenAsRead || file.Problems.Count > 0)
                        {
                            await FinishAsync(file);
                        }
                        else
                        {
                            gathered.Add(file);
                            gatheredStories += file.Gathered.Count;
                            gatheredCharacters += file.GatheredCharacters;
                            if (gatheredStories >= Limits.BatchSize || gatheredCharacters >= BatchCharacters)
                            {
                                await WriteGatheredAsync();
                            }
                        }

                        tracker.FileDone();
                        if (!dryRun && (storiesSinceCommit + gatheredStories >= StoriesPerCommit || sinceCommit.Elapsed >= CommitInterval))
                        {
                            await WriteGatheredAsync();
                            await CommitPendingAsync();
                        }

                        file = null;
                        break;
                }
            }

            await WriteGatheredAsync();
            if (transaction is not null)
            {
                if (dryRun)
                {
                    await transaction.RollbackAsync(cancellationToken);
                    Accept(report, pending);
                    writer.TakeChanges();
                }
                else
                {
                    await CommitAsync(transaction, report, pending, cancellationToken);
                }

                transaction = null;
            }
            else
            {
                // Only rejected or empty files: nothing to commit, but the report still counts what was accepted.
                Accept(report, pending);
            }
        }
        finally
        {
            if (transaction is not null)
            {
                // Failed part-way: nothing since the last commit is kept, and the report holds only what was committed.
                await transaction.DisposeAsync();
                writer.Forget();
            }
        }
    }

    /// <summary>Records a chunk's problems against its file (listing up to the limit) and returns its valid stories.</summary>
    private List<PreparedStory> Check(FileState file, IReadOnlyList<PreparedStory> stories)
    {
        foreach (var problem in stories.SelectMany(s => s.Problems))
        {
            if (file.Problems.Count < Limits.MaxProblemsPerFile)
            {
                file.Problems.Add(problem);
            }
            else
            {
                file.Unlisted++;
            }
        }

        return [.. stories.Where(s => s.Document is not null)];
    }

    /// <summary>Writes a file's valid stories; a refusal by the store becomes a problem of the file, not a crash.</summary>
    private async Task WriteStoriesAsync(FileState file, List<PreparedStory> valid, ProgressTracker tracker, CancellationToken cancellationToken)
    {
        // Once a file is rejected, its stories are read only to report every problem in it.
        if (file.Problems.Count > 0 || valid.Count == 0)
        {
            return;
        }

        // Behind its own savepoint with nothing of it written yet, a file that lost a race for a new name or address
        // (another import or an editor added the same one after it was looked up) is written once more from the
        // savepoint, finding the one now stored, rather than rejected for the race.
        var retries = file.HasSavepoint && file.Written.Count == 0 ? MaxRetries : 0;
        while (true)
        {
            try
            {
                file.Written.Add(await writer.WriteAsync(valid, portalOptions.Value.DefaultLanguage, cancellationToken));
                tracker.Stories(valid.Count);
                return;
            }
            catch (Exception ex) when (retries > 0 && IsRefusal(ex) && StoreDialect.IsLostRace(ex))
            {
                retries--;
                logger.LogInformation("{File} lost a race for a new name or address, or a deadlock with another writer; writing it again", file.Name);
                await db.Database.CurrentTransaction!.RollbackToSavepointAsync("file", cancellationToken);
                writer.Forget();
            }
            catch (Exception ex) when (IsRefusal(ex))
            {
                // The store refused the batch (a constraint the checks did not foresee): reject the file, don't crash.
                logger.LogError(ex, "Could not save stories from {File}", file.Name);
                // A lost race is said in the report's words (the constraint's name and SQL state stay in the log); any
                // other refusal is the store's own message, as a rule a store adds (a trigger) words it for the reader.
                var reason = StoreDialect.IsLostRace(ex)
                    ? "another import or an editor wrote the same story, category, source, developing story or address at the same moment; import the file again"
                    : ex.InnerException is Npgsql.PostgresException postgres ? postgres.MessageText : ex.InnerException?.Message ?? ex.Message;
                file.Problems.Add(new ImportProblem(file.Name, valid[0].Line, $"the stories from this line on could not be saved: {reason}"));
                return;
            }
        }
    }

    /// <summary>
    /// The store refused a write: through EF Core, or from the inserter's own commands; or ended it to break a
    /// deadlock, which EF Core reports wrapped as a transient failure.
    /// </summary>
    private static bool IsRefusal(Exception ex)
        => ex is DbUpdateException or System.Data.Common.DbException || ex is InvalidOperationException && StoreDialect.IsDeadlock(ex);

    /// <summary>
    /// How many times a file that lost a race is written again from its savepoint: a name another writer added is
    /// found on the next try unless that writer has not committed yet, when the next try waits for it and then finds it.
    /// </summary>
    private const int MaxRetries = 3;

    /// <summary>Commits, with the cache tags of what was written (so every process evicts it), then evicts them here.</summary>
    private async Task CommitAsync(IDbContextTransaction transaction, ImportReport report, List<WrittenTally> pending, CancellationToken cancellationToken)
    {
        var changes = writer.TakeChanges();
        HashSet<string> tags = changes is null ? [CacheTags.All] : await cache.TagsForAsync(changes.Select(c => (c.Before, (ArticleState?)c.After)), cancellationToken);
        cache.Record(tags);
        await db.SaveChangesAsync(cancellationToken);
        await inserter.AddCollectedCountsAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await transaction.DisposeAsync();
        Accept(report, pending);
        await cache.EvictAsync(tags, cancellationToken);
    }

    private static void Accept(ImportReport report, List<WrittenTally> pending)
    {
        pending.ForEach(report.Accept);
        pending.Clear();
    }

    private sealed record Input(string Name, Func<Stream>? Open, IReadOnlyList<SnippetDocument>? Documents);

    private enum ChunkKind
    {
        Start,
        Stories,
        End,
    }

    /// <summary>What the reader hands the writer: a file starts, some of its stories, a file ends (with how many it had).</summary>
    private sealed record Chunk(ChunkKind Kind, string Name, IReadOnlyList<PreparedStory> Items, int StoryCount)
    {
        public static Chunk Start(string name) => new(ChunkKind.Start, name, [], 0);

        public static Chunk Of(string name, IReadOnlyList<PreparedStory> stories, bool countsAsStory = true) => new(ChunkKind.Stories, name, stories, countsAsStory ? stories.Count : 0);

        public static Chunk End(string name, int stories) => new(ChunkKind.End, name, [], stories);
    }

    private sealed class FileState(string name, bool keepSlugs)
    {
        public string Name { get; } = name;
        public List<ImportProblem> Problems { get; } = [];
        public int Unlisted { get; set; }
        public WrittenTally Written { get; } = new(keepSlugs);

        /// <summary>Valid stories of a small file, waiting to be written with other files'.</summary>
        public List<PreparedStory> Gathered { get; } = [];

        public int GatheredCharacters { get; set; }

        /// <summary>Whether the file is being written behind a savepoint of its own.</summary>
        public bool HasSavepoint { get; set; }

        /// <summary>Whether the file is being written in a transaction that holds nothing else.</summary>
        public bool OwnsTransaction { get; set; }

        public bool WrittenAsRead => HasSavepoint || OwnsTransaction;

        public int StoryCount { get; set; }
    }

    /// <summary>Counts stories and bytes, and reports rate, share done and time left about once a second.</summary>
    private sealed class ProgressTracker(int totalFiles, long totalBytes, long totalStories, IProgress<ImportProgress>? progress, ILogger logger, double intervalSeconds)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly Lock _lock = new();
        private TimeSpan _lastReport;
        private int _files;
        private long _stories;
        private long _bytesRead;

        /// <summary>The input being read, whose position tells how far through a large file the import is.</summary>
        public Stream? CurrentFile { get; set; }

        public void Stories(int count)
        {
            lock (_lock)
            {
                _stories += count;
                Report(force: false);
            }
        }

        public void FileRead(long bytes)
        {
            lock (_lock)
            {
                _bytesRead += bytes;
                CurrentFile = null;
            }
        }

        public void FileDone()
        {
            lock (_lock)
            {
                _files++;
                Report(force: false);
            }
        }

        /// <summary>
        /// The last report, once every story is written: small files are written together after the last one is read,
        /// so a report at the last file counted none of theirs.
        /// </summary>
        public void Finished()
        {
            lock (_lock)
            {
                Report(force: true);
            }
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
            long position;
            try
            {
                position = CurrentFile is { CanSeek: true } file ? file.Position : 0;
            }
            catch (ObjectDisposedException)
            {
                position = 0;
            }

            var fraction = totalBytes > 0 ? Math.Min(1, (double)(_bytesRead + position) / totalBytes) : (double)_files / Math.Max(totalFiles, 1);
            TimeSpan? remaining = fraction > 0 ? TimeSpan.FromSeconds(elapsed.TotalSeconds * (1 - fraction) / fraction) : null;
            var update = new ImportProgress(_files, totalFiles, _stories, totalStories > 0 ? Math.Max(totalStories, _stories) : 0, rate, fraction, remaining);
            progress?.Report(update);
            logger.LogInformation(
                "Import progress: {Files}/{TotalFiles} files, {Stories} stories, {Rate:0} stories/s, {Percent:0}% done, ETA {Remaining}",
                update.Files, update.TotalFiles, update.Stories, update.StoriesPerSecond, update.Fraction * 100,
                update.Remaining is { } left ? $"{left.TotalSeconds:0} s" : "unknown");
        }
    }
}
