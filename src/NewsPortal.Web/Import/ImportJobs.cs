using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NewsPortal.Web.Audit;
using NewsPortal.Web.Data;
using StackExchange.Redis;

namespace NewsPortal.Web.Import;

/// <summary>
/// Uploaded files saved to disk under their own folder, kept after a dry run so the editor can import them for real
/// without choosing them again. <see cref="Stories"/> is counted while saving: a line of JSON Lines, or a snippet file.
/// </summary>
public sealed record ImportUpload(string Folder, IReadOnlyList<(string Name, string Path)> Files, long Stories, DateTime SavedAtUtc);

/// <summary>An upload being imported in the background: its progress while it runs, its report when done.</summary>
public sealed class ImportJob
{
    private int _confirmed;

    public required Guid Id { get; init; }
    public required string StartedBy { get; init; }
    public required ImportUpload Upload { get; init; }
    public required bool DryRun { get; init; }
    public DateTime StartedAtUtc { get; init; }

    /// <summary>The node running the import, which holds its files.</summary>
    public required string Node { get; init; }
    public IReadOnlyList<string> Files => [.. Upload.Files.Select(f => f.Name)];
    public ImportProgress? Progress { get; set; }
    public ImportReport? Report { get; set; }
    public string? Failure { get; set; }
    public bool Finished => Report is not null || Failure is not null;

    /// <summary>The real import started from this dry run, once one has been.</summary>
    public Guid? RealImport { get; internal set; }

    /// <summary>Whether this dry run's files are also in the store, so any node can import them for real.</summary>
    public bool UploadShared { get; internal set; }

    /// <summary>Whether a real import has claimed this dry run's upload (it can be claimed once, under the jobs' lock).</summary>
    public bool Claimed => Volatile.Read(ref _confirmed) == 1;

    internal void Claim() => Volatile.Write(ref _confirmed, 1);

    /// <summary>What other nodes need to show this job's page: everything but its files.</summary>
    internal State ToState() => new(Id, StartedBy, Files, DryRun, StartedAtUtc, Node, Upload.Stories, Progress, Report?.ToData(), Failure, Claimed, RealImport, UploadShared);

    internal static ImportJob From(State state)
    {
        var job = new ImportJob
        {
            Id = state.Id,
            StartedBy = state.StartedBy,
            Upload = new ImportUpload("", [.. state.Files.Select(name => (name, ""))], state.Stories, state.StartedAtUtc),
            DryRun = state.DryRun,
            StartedAtUtc = state.StartedAtUtc,
            Node = state.Node,
            Progress = state.Progress,
            Report = state.Report is { } report ? ImportReport.From(report) : null,
            Failure = state.Failure,
            RealImport = state.RealImport,
            UploadShared = state.UploadShared,
        };
        if (state.Claimed)
        {
            job.Claim();
        }

        return job;
    }

    internal sealed record State(
        Guid Id, string StartedBy, IReadOnlyList<string> Files, bool DryRun, DateTime StartedAtUtc, string Node, long Stories,
        ImportProgress? Progress, ImportReportData? Report, string? Failure, bool Claimed, Guid? RealImport, bool UploadShared = false);
}

/// <summary>
/// Runs admin uploads off the request, so the import page can show progress as the import runs. Jobs live in
/// memory on this node (the most recent 50), and with Redis also there for a day, so the job's page (its progress
/// and report) shows on whichever node a request reaches; the audit log keeps the record. Uploads wait on the disk
/// of the node that took them: a dry run's for an hour (the newest few), to be imported for real; a real import's
/// until it is done. With Redis, a finished dry run's files are also kept in the store for that hour, so "Import
/// for real" works on any node, and Redis decides which press imports them. When the site is stopped, it waits for
/// the imports still running to finish (up to the host's shutdown timeout).
/// </summary>
public sealed class ImportJobs(IServiceScopeFactory scopes, TimeProvider clock, StoreSettings store, ILogger<ImportJobs> logger) : IHostedService
{
    /// <summary>This node, as others name it when it holds a job's files.</summary>
    public string Node { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..6]}";

    private static readonly TimeSpan SharedFor = TimeSpan.FromDays(1);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private const int Kept = 50;

    /// <summary>Dry-run uploads kept for a real import: at most this many, for at most <see cref="UploadLifetime"/>.</summary>
    public const int KeptUploads = 5;

    public static readonly TimeSpan UploadLifetime = TimeSpan.FromHours(1);

    private static readonly string UploadsRoot = Path.Combine(Path.GetTempPath(), "newsportal-uploads");
    private readonly string _uploads = Path.Combine(UploadsRoot, Guid.NewGuid().ToString("N"));
    private readonly ConcurrentDictionary<Guid, ImportJob> _jobs = new();
    private readonly ConcurrentDictionary<Guid, Task> _running = new();
    private readonly Lock _sweep = new();

    /// <summary>What an import's page says when the site stopped before the import finished.</summary>
    public const string Interrupted = "The site stopped before this import finished. The files counted as done were imported, each whole; the one being imported and those after it were not: import them again.";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Folders left by a process that did not stop cleanly (each process has its own).
        if (Directory.Exists(UploadsRoot))
        {
            foreach (var stale in Directory.EnumerateDirectories(UploadsRoot).Where(d => Directory.GetLastWriteTimeUtc(d) < DateTime.UtcNow.AddDays(-1)))
            {
                TryDelete(stale);
            }
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!_running.IsEmpty)
        {
            logger.LogInformation("Waiting for {Imports} import(s) to finish before stopping", _running.Count);
            try
            {
                await Task.WhenAll(_running.Values).WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Past the shutdown's time limit: the process ends with them, and their open transactions with it.
                foreach (var job in _jobs.Values.Where(j => !j.Finished))
                {
                    job.Failure = Interrupted;
                    Share(job);
                    logger.LogWarning(
                        "Stopped before import {Job} by {User} finished: {FilesDone} of {Files} file(s) were imported, each whole; the rest were not",
                        job.Id, job.StartedBy, job.Progress?.Files ?? 0, job.Files.Count);
                }

                return;
            }
        }

        TryDelete(_uploads);
    }

    /// <summary>A job started on this node, or (with Redis) on another, as that node last told.</summary>
    public ImportJob? Find(Guid id)
    {
        if (_jobs.TryGetValue(id, out var job))
        {
            return job;
        }

        if (store.Redis is not { } redis)
        {
            return null;
        }

        try
        {
            var value = redis.Value.GetDatabase().StringGet(Key(id));
            return value.HasValue ? ImportJob.From(JsonSerializer.Deserialize<ImportJob.State>(value.ToString(), Json)!) : null;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning(ex, "Could not read import job {Job} from Redis", id);
            return null;
        }
    }

    /// <summary>Tells the other nodes where the job is (best effort: a node that cannot reach Redis still runs its imports).</summary>
    private void Share(ImportJob job)
    {
        if (store.Redis is not { } redis)
        {
            return;
        }

        try
        {
            redis.Value.GetDatabase().StringSet(Key(job.Id), JsonSerializer.Serialize(job.ToState(), Json), SharedFor, flags: CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning(ex, "Could not share import job {Job} through Redis", job.Id);
        }
    }

    private string Key(Guid id) => $"{store.RedisPrefix}import:{id:N}";

    /// <summary>Saves uploaded files to this node's disk, counting the stories in them as they are written.</summary>
    public async Task<ImportUpload> SaveAsync(IReadOnlyList<IFormFile> files, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(_uploads, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var saved = new List<(string Name, string Path)>(files.Count);
        long stories = 0;
        try
        {
            for (var i = 0; i < files.Count; i++)
            {
                // The browser's name for the file is text that comes in: cleaned (PostgreSQL refuses a NUL in it) and bounded.
                var name = Shared.Text.Cut(Shared.Text.Line(Path.GetFileName(files[i].FileName)), 200) is { Length: > 0 } given
                    ? given : $"file {i + 1}";
                var path = Path.Combine(folder, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                long lines;
                await using (var source = files[i].OpenReadStream())
                await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
                {
                    lines = await CopyCountingLinesAsync(source, target, cancellationToken);
                }

                await using (var check = File.OpenRead(path))
                {
                    stories += ImportReader.DetectFormat(name, check) == ImportFormat.JsonLines ? lines : 1;
                }

                saved.Add((name, path));
            }
        }
        catch
        {
            TryDelete(folder);
            throw;
        }

        return new ImportUpload(folder, saved, stories, clock.GetUtcNow().UtcDateTime);
    }

    public ImportJob Start(ImportUpload upload, bool dryRun, string user) => Start(upload, dryRun, user, fromDryRun: null);

    private ImportJob Start(ImportUpload upload, bool dryRun, string user, Guid? fromDryRun)
    {
        var job = new ImportJob { Id = Guid.NewGuid(), StartedBy = user, Upload = upload, DryRun = dryRun, StartedAtUtc = clock.GetUtcNow().UtcDateTime, Node = Node };
        _jobs[job.Id] = job;
        Share(job);
        Sweep();

        _running[job.Id] = Task.Run(async () =>
        {
            // Counts what is committed as the import goes, so a failure part-way still says what was imported.
            var report = new ImportReport { DryRun = dryRun };
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var importer = scope.ServiceProvider.GetRequiredService<ImportService>();
                await importer.ImportFilesAsync(report, upload.Files, upload.Stories,
                    new Progress<ImportProgress>(p =>
                    {
                        job.Progress = p;
                        Share(job);
                    }), CancellationToken.None);
                if (!dryRun)
                {
                    await scope.ServiceProvider.GetRequiredService<AuditLog>().RecordAsync(user, "import", string.Join(", ", job.Files), report.AuditSummary);
                }

                job.Report = report;
                if (dryRun && store.Redis is not null)
                {
                    try
                    {
                        await KeepForOtherNodesAsync(scope.ServiceProvider.GetRequiredService<NewsDbContext>(), job);
                    }
                    catch (Exception ex) when (ex is System.Data.Common.DbException or DbUpdateException or IOException)
                    {
                        // The report stands; "Import for real" then works on this node only, which says so elsewhere.
                        logger.LogWarning(ex, "Could not keep the files of dry run {Job} for the other nodes", job.Id);
                    }
                }
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Import job {Job} failed", job.Id);
                if (!dryRun)
                {
                    await AuditFailureAsync(user, job, report);
                }

                // Last, as the report is on success: a job seen finished has its audit entry.
                job.Failure = "The import stopped with an error; nothing from the file being imported was kept. The problem has been logged.";
            }
            finally
            {
                if (!dryRun)
                {
                    TryDelete(upload.Folder);
                    if (fromDryRun is { } kept)
                    {
                        await ForgetSharedAsync(kept);
                    }
                }

                Share(job);
                _running.TryRemove(job.Id, out _);
            }
        });
        return job;
    }

    /// <summary>
    /// An import that failed part-way goes in the audit log too, with what it had committed (files before the failure
    /// stay imported), so the log answers who imported what however the import ended.
    /// </summary>
    private async Task AuditFailureAsync(string user, ImportJob job, ImportReport report)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AuditLog>().RecordAsync(user, "import", string.Join(", ", job.Files),
                $"{report.AuditSummary}; stopped by an error, the rest not imported");
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or DbUpdateException)
        {
            // The store that failed the import may still be failing: the error above is in the log either way.
            logger.LogWarning(ex, "Could not record failed import job {Job} in the audit log", job.Id);
        }
    }

    /// <summary>
    /// Imports a finished dry run's upload for real, once, from this node's copy or the store's; null with the reason
    /// when it cannot be (not this person's, not finished, already imported, or its files no longer kept).
    /// </summary>
    public async Task<(ImportJob? Started, string? Refusal)> ConfirmAsync(Guid dryRun, string user, CancellationToken cancellationToken)
    {
        var job = Find(dryRun);
        if (job is null || job.StartedBy != user || !job.DryRun)
        {
            return (null, "That dry run is not known here; choose the files again.");
        }

        if (!job.Finished || job.Report is null)
        {
            return (null, "The dry run has not finished yet.");
        }

        var local = job.Node == Node;
        if (!local && !job.UploadShared)
        {
            return (null, $"The files of that dry run are kept on the node that took them ({job.Node}); send \"Import for real\" there, or choose the files again.");
        }

        var gone = $"The files of that dry run are no longer kept (the newest {KeptUploads} are, for an hour); choose them again.";
        lock (_sweep)
        {
            if (job.Claimed)
            {
                return (null, AlreadyImported);
            }

            if (local && !Directory.Exists(job.Upload.Folder))
            {
                return (null, gone);
            }

            job.Claim();
        }

        if (!ClaimAcrossNodes(job.Id, local))
        {
            return (null, AlreadyImported);
        }

        var upload = local ? job.Upload : await LoadSharedAsync(job.Id, cancellationToken);
        if (upload is null)
        {
            return (null, gone);
        }

        var started = Start(upload, dryRun: false, user, fromDryRun: job.Id);
        job.RealImport = started.Id;
        Share(job);
        return (started, null);
    }

    private const string AlreadyImported = "These files have already been imported.";

    /// <summary>
    /// Whether this press is the one that imports the dry run's files, when nodes share them: the first to set the
    /// key in Redis. Without Redis, this node's own claim (under its lock) is the only one there is.
    /// </summary>
    private bool ClaimAcrossNodes(Guid dryRun, bool local)
    {
        if (store.Redis is not { } redis)
        {
            return true;
        }

        try
        {
            return redis.Value.GetDatabase().StringSet($"{store.RedisPrefix}import-claim:{dryRun:N}", Node, SharedFor, When.NotExists);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The node that took the files may go on (its own claim stops a second press there); no other node may.
            logger.LogWarning(ex, "Could not claim dry run {Job} in Redis", dryRun);
            return local;
        }
    }

    /// <summary>Copies a finished dry run's files into the store, for another node to import, and forgets copies over an hour old.</summary>
    private async Task KeepForOtherNodesAsync(NewsDbContext db, ImportJob job)
    {
        var cutoff = clock.GetUtcNow().UtcDateTime - UploadLifetime;
        await db.ImportUploadChunks.Where(c => c.SavedAtUtc < cutoff).ExecuteDeleteAsync();
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            var buffer = new byte[ImportUploadChunk.Size];
            for (var file = 0; file < job.Upload.Files.Count; file++)
            {
                var (name, path) = job.Upload.Files[file];
                await using var source = File.OpenRead(path);
                var chunk = 0;
                do
                {
                    var read = await source.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false);
                    db.ImportUploadChunks.Add(new ImportUploadChunk
                    {
                        UploadId = job.Id,
                        FileIndex = file,
                        Chunk = chunk++,
                        FileName = name,
                        Bytes = buffer[..read],
                        Stories = job.Upload.Stories,
                        SavedAtUtc = job.Upload.SavedAtUtc,
                    });
                    await db.SaveChangesAsync();
                    db.ChangeTracker.Clear();
                }
                while (source.Position < source.Length);
            }

            await transaction.CommitAsync();
        }

        job.UploadShared = true;
    }

    /// <summary>A dry run's files from the store, written to this node's disk; null when the store no longer has them.</summary>
    private async Task<ImportUpload?> LoadSharedAsync(Guid dryRun, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        // Row by row: an upload may be hundreds of megabytes.
        var pieces = await db.ImportUploadChunks.Where(c => c.UploadId == dryRun).OrderBy(c => c.FileIndex).ThenBy(c => c.Chunk)
            .Select(c => new { c.FileIndex, c.Chunk, c.FileName, c.Stories, c.SavedAtUtc }).ToListAsync(cancellationToken);
        if (pieces.Count == 0)
        {
            return null;
        }

        var folder = Path.Combine(_uploads, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var files = new List<(string Name, string Path)>();
        try
        {
            foreach (var file in pieces.GroupBy(p => p.FileIndex))
            {
                var path = Path.Combine(folder, file.Key.ToString(System.Globalization.CultureInfo.InvariantCulture));
                await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
                {
                    foreach (var piece in file)
                    {
                        var bytes = await db.ImportUploadChunks.Where(c => c.UploadId == dryRun && c.FileIndex == piece.FileIndex && c.Chunk == piece.Chunk)
                            .Select(c => c.Bytes).SingleAsync(cancellationToken);
                        await target.WriteAsync(bytes, cancellationToken);
                    }
                }

                files.Add((file.First().FileName, path));
            }
        }
        catch
        {
            TryDelete(folder);
            throw;
        }

        return new ImportUpload(folder, files, pieces[0].Stories, pieces[0].SavedAtUtc);
    }

    /// <summary>Deletes a dry run's files from the store once they are imported (best effort: an hour later they go anyway).</summary>
    private async Task ForgetSharedAsync(Guid dryRun)
    {
        if (store.Redis is null)
        {
            return;
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<NewsDbContext>().ImportUploadChunks.Where(c => c.UploadId == dryRun).ExecuteDeleteAsync();
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            logger.LogWarning(ex, "Could not delete the stored files of dry run {Job}", dryRun);
        }
    }

    /// <summary>Forgets old jobs and deletes uploads no longer wanted: the oldest dry runs' beyond the newest few, and any over an hour old.</summary>
    private void Sweep()
    {
        lock (_sweep)
        {
            foreach (var old in _jobs.Values.OrderByDescending(j => j.StartedAtUtc).Skip(Kept))
            {
                _jobs.TryRemove(old.Id, out _);
                if (old is { DryRun: true, Claimed: false })
                {
                    TryDelete(old.Upload.Folder);
                }
            }

            var cutoff = clock.GetUtcNow().UtcDateTime - UploadLifetime;
            var waiting = _jobs.Values.Where(j => j is { DryRun: true, Claimed: false, Finished: true }).OrderByDescending(j => j.StartedAtUtc).ToList();
            foreach (var stale in waiting.Skip(KeptUploads).Concat(waiting.Take(KeptUploads).Where(j => j.Upload.SavedAtUtc < cutoff)))
            {
                TryDelete(stale.Upload.Folder);
            }
        }
    }

    private static async Task<long> CopyCountingLinesAsync(Stream source, Stream target, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        long lines = 0;
        var lineHasText = false;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            foreach (var b in buffer.AsSpan(0, read))
            {
                if (b == (byte)'\n')
                {
                    lines += lineHasText ? 1 : 0;
                    lineHasText = false;
                }
                else if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
                {
                    lineHasText = true;
                }
            }

            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        return lines + (lineHasText ? 1 : 0);
    }

    private void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException ex)
        {
            logger.LogWarning(ex, "Could not delete the upload folder {Folder}", folder);
        }
        catch (UnauthorizedAccessException ex)
        {
            logger.LogWarning(ex, "Could not delete the upload folder {Folder}", folder);
        }
    }
}
