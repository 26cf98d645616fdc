using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace NewsPortal.Web.Data;

/// <summary>
/// The SQLite counterpart of <see cref="PostgresStartupLock"/>: a file beside the store, opened exclusively, so that
/// processes started together on one store (a site and a command, or a restart overlapping the old process) bring it
/// up to date one at a time. The operating system lets go of it if the process dies.
/// </summary>
public sealed class SqliteStartupLock : IAsyncDisposable
{
    private readonly FileStream _file;

    private SqliteStartupLock(FileStream file) => _file = file;

    /// <summary>Waits for the lock; null for a store that is not a file (in memory), which no other process can share.</summary>
    public static async Task<SqliteStartupLock?> TakeAsync(NewsDbContext db, CancellationToken cancellationToken)
    {
        var path = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
        if (string.IsNullOrEmpty(path) || path == ":memory:")
        {
            return null;
        }

        while (true)
        {
            try
            {
                return new SqliteStartupLock(new FileStream(path + ".startup-lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose));
            }
            catch (IOException)
            {
                // Another process holds it: it is migrating or seeding, which takes seconds at most.
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }
        }
    }

    public ValueTask DisposeAsync() => _file.DisposeAsync();
}
