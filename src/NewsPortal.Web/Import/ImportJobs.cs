using System.Collections.Concurrent;
using NewsPortal.Web.Audit;

namespace NewsPortal.Web.Import;

/// <summary>An upload being imported in the background: its progress while it runs, its report when done.</summary>
public sealed class ImportJob
{
    public required Guid Id { get; init; }
    public required string StartedBy { get; init; }
    public required IReadOnlyList<string> Files { get; init; }
    public required bool DryRun { get; init; }
    public DateTime StartedAtUtc { get; init; }
    public ImportProgress? Progress { get; set; }
    public ImportReport? Report { get; set; }
    public string? Failure { get; set; }
    public bool Finished => Report is not null || Failure is not null;
}

/// <summary>
/// Runs admin uploads off the request, so the import page can show progress as the import runs. Jobs live in
/// memory on this node (the most recent 50), which is enough to watch an import; the audit log keeps the record.
/// When the site is stopped, it waits for the imports still running to finish (up to the host's shutdown timeout).
/// </summary>
public sealed class ImportJobs(IServiceScopeFactory scopes, TimeProvider clock, ILogger<ImportJobs> logger) : IHostedService
{
    private const int Kept = 50;
    private readonly ConcurrentDictionary<Guid, ImportJob> _jobs = new();
    private readonly ConcurrentDictionary<Guid, Task> _running = new();

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!_running.IsEmpty)
        {
            logger.LogInformation("Waiting for {Imports} import(s) to finish before stopping", _running.Count);
            await Task.WhenAll(_running.Values).WaitAsync(cancellationToken);
        }
    }

    public ImportJob? Find(Guid id) => _jobs.GetValueOrDefault(id);

    public ImportJob Start(IReadOnlyList<(string Name, byte[] Content)> files, bool dryRun, string user)
    {
        var job = new ImportJob { Id = Guid.NewGuid(), StartedBy = user, Files = [.. files.Select(f => f.Name)], DryRun = dryRun, StartedAtUtc = clock.GetUtcNow().UtcDateTime };
        _jobs[job.Id] = job;
        foreach (var old in _jobs.Values.OrderByDescending(j => j.StartedAtUtc).Skip(Kept))
        {
            _jobs.TryRemove(old.Id, out _);
        }

        _running[job.Id] = Task.Run(async () =>
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var importer = scope.ServiceProvider.GetRequiredService<ImportService>();
                var report = await importer.ImportStreamsAsync(
                    [.. files.Select(f => (f.Name, (Func<Stream>)(() => new MemoryStream(f.Content, writable: false))))],
                    dryRun, CancellationToken.None, new Progress<ImportProgress>(p => job.Progress = p));
                if (!dryRun)
                {
                    await scope.ServiceProvider.GetRequiredService<AuditLog>().RecordAsync(user, "import", string.Join(", ", job.Files),
                        $"{report.Imported} imported, {report.Updated} updated, {report.Unchanged} unchanged, {report.RejectedFiles.Count} files rejected");
                }

                job.Report = report;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Import job {Job} failed", job.Id);
                job.Failure = "The import stopped with an error; nothing from the file being imported was kept. The problem has been logged.";
            }
            finally
            {
                _running.TryRemove(job.Id, out _);
            }
        });
        return job;
    }
}
