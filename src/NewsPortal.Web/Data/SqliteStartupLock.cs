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

        var lockPath = path + ".startup-lock";
        while (true)
        {
            try
            {
                return new SqliteStartupLock(new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose));
            }
            catch (IOException ex) when (IsHeldByAnother(ex))
            {
                // Another process holds it: it is migrating or seeding, which takes seconds at most.
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A read-only or full disk, a folder that is not one's own: waiting would wait for ever.
                throw new IOException($"Cannot create {lockPath} beside the store (ConnectionStrings:NewsPortal): {ex.Message}", ex);
            }
        }
    }

    /// <summary>
    /// The one failure worth waiting out: the file is locked by another process. On Unix .NET reports the lock's
    /// EWOULDBLOCK as the exception's HResult (11 on Linux, 35 on macOS); Windows, a sharing or lock violation.
    /// </summary>
    internal static bool IsHeldByAnother(IOException ex)
        => OperatingSystem.IsWindows() ? (ex.HResult & 0xFFFF) is 32 or 33 : ex.HResult == (OperatingSystem.IsMacOS() ? 35 : 11);

    public ValueTask DisposeAsync() => _file.DisposeAsync();
}
