using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace NewsPortal.Web.Data;

/// <summary>
/// <c>backup --out FILE</c> and <c>restore FILE</c>: a consistent copy of the SQLite store taken while the site runs
/// (<c>VACUUM INTO</c> reads one snapshot, so writes during it are either wholly in or wholly out), and its return.
/// </summary>
public static class StoreBackup
{
    /// <summary>Writes the store to <paramref name="file"/>, which must not exist yet; returns the stories in the copy.</summary>
    public static async Task<long> BackupAsync(NewsDbContext db, string file, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(file);
        if (File.Exists(path))
        {
            throw new IOException($"{path} already exists; a backup never overwrites a file.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Made under a temporary name, for its owner only (it holds password hashes and secrets), and named only once
        // whole: a disk that fills leaves no empty or cut-off backup behind.
        await Shared.HostFolders.MakeWholeAsync(path, partial => db.Database.ExecuteSqlRawAsync("VACUUM INTO {0}", [partial], cancellationToken), overwrite: false);

        await using var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await copy.OpenAsync(cancellationToken);
        return await CountStoriesAsync(copy, cancellationToken);
    }

    /// <summary>
    /// Replaces the store's contents with the backup's, after checking the backup is a whole NewsPortal store; returns
    /// the stories restored. Run it with the site stopped: pages cached by a running site would outlive the store they came from.
    /// </summary>
    public static async Task<long> RestoreAsync(NewsDbContext db, string file, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(file);
        if (!File.Exists(path))
        {
            throw new IOException($"{path} does not exist.");
        }

        await using var backup = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await backup.OpenAsync(cancellationToken);
        string check;
        long stories;
        List<string> migrations = [];
        try
        {
            check = await ScalarAsync(backup, "PRAGMA integrity_check", cancellationToken) as string ?? "";
            stories = await CountStoriesAsync(backup, cancellationToken);
            await using var history = backup.CreateCommand();
            history.CommandText = "SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\"";
            await using var reader = await history.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                migrations.Add(reader.GetString(0));
            }
        }
        catch (SqliteException ex)
        {
            throw new IOException($"{path} is not a NewsPortal store: {ex.Message}", ex);
        }

        if (check != "ok")
        {
            throw new IOException($"{path} is damaged: {check}");
        }

        // A store this build made or can bring up to date: its history is a start of this build's migrations.
        var known = db.Database.GetMigrations().ToList();
        if (migrations.Count == 0 || !migrations.Order(StringComparer.Ordinal).SequenceEqual(known.Take(migrations.Count)))
        {
            var newer = migrations.FirstOrDefault(m => !known.Contains(m));
            throw new IOException(newer is not null
                ? $"{path} was made by a newer NewsPortal (its migration {newer} is unknown to this one): restore it with that version."
                : $"{path} is not a NewsPortal store: it has no migration history this version knows.");
        }

        var store = (SqliteConnection)db.Database.GetDbConnection();
        await using var noSiteRunning = SqliteRunningSite.TakeForRestore(store.DataSource);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            // SQLite's online backup copies every page under one write lock: the store is the backup's, or unchanged.
            backup.BackupDatabase(store);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return stories;
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static async Task<long> CountStoriesAsync(SqliteConnection connection, CancellationToken cancellationToken)
        => (long)(await ScalarAsync(connection, "SELECT count(*) FROM \"Articles\"", cancellationToken))!;
}
