namespace NewsPortal.Web.Data;

/// <summary>
/// A mark that a site is serving from the SQLite store: a file beside it, held with a shared lock for as long as the
/// site runs (several sites on one store share it). A restore takes it exclusively, so it refuses to replace a store
/// under a running site, whose cached pages and open connections would outlive the store they came from, and a site
/// starting meanwhile waits for the restore. The operating system lets go of it if the process dies.
/// </summary>
public sealed class SqliteRunningSite(string storePath, ILogger<SqliteRunningSite> logger) : IHostedService, IDisposable
{
    private FileStream? _mark;

    public static string MarkPath(string storePath) => storePath + ".running";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                _mark = new FileStream(MarkPath(storePath), FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite, 1);
                return;
            }
            catch (IOException ex) when (SqliteStartupLock.IsHeldByAnother(ex))
            {
                logger.LogInformation("Waiting for a restore of {Store} to finish", storePath);
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _mark?.Dispose();
        _mark = null;
    }

    /// <summary>Held by a restore while it replaces the store; refused with a message while a site runs on it.</summary>
    public static FileStream TakeForRestore(string storePath)
    {
        try
        {
            return new FileStream(MarkPath(storePath), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1);
        }
        catch (IOException ex) when (SqliteStartupLock.IsHeldByAnother(ex))
        {
            throw new IOException($"A site is running on {storePath}: stop it before restoring, or its cached pages and open connections would outlive the store they came from.", ex);
        }
    }
}
