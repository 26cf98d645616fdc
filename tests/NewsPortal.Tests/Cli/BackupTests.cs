using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using NewsPortal.Tests.Infrastructure;

namespace NewsPortal.Tests.Cli;

/// <summary><c>backup --out FILE</c> while the site takes writes, and <c>restore FILE</c>, run as the real binary.</summary>
public sealed class BackupTests(NewsPortalFactory site) : IClassFixture<NewsPortalFactory>, IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    private static List<string> Rows(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False;Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT \"Id\" || '|' || \"Slug\" || '|' || \"Title\" || '|' || \"Body\" || '|' || \"Version\" FROM \"Articles\" ORDER BY \"Id\"";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    [SqliteFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task ABackupTakenDuringWrites_IsConsistent_AndRestoresToTheSameStore()
    {
        _ = site.Server;
        var before = await site.WithDbAsync(db => db.Articles.CountAsync());
        using var stop = new CancellationTokenSource();
        var written = 0;
        var writer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await site.AddArticleAsync(new ArticleBuilder().Titled($"Written during the backup {written++}"));
            }
        });
        await Task.Delay(200);
        var file = Path.Combine(_folder.Path, "copies", "backup.db");

        var backup = await PortalCommand.RunAsync(site.DatabasePath, "backup", "--out", file);
        await stop.CancelAsync();
        await writer;
        var after = await site.WithDbAsync(db => db.Articles.CountAsync());
        var restoredStore = Path.Combine(_folder.Path, "restored.db");
        var restore = await PortalCommand.RunAsync(restoredStore, "restore", file);
        var again = await PortalCommand.RunAsync(site.DatabasePath, "backup", "--out", file);

        Assert.True(backup.ExitCode == 0, backup.Output + backup.Errors);
        var copied = Rows(file);
        Assert.InRange(copied.Count, before + 1, after);
        Assert.Contains($"Backed up {copied.Count} stories", backup.Output);
        // Whole stories only, each as the site has it.
        var live = Rows(site.DatabasePath).ToHashSet();
        Assert.All(copied, row => Assert.Contains(row, live));
        Assert.True(restore.ExitCode == 0, restore.Output + restore.Errors);
        Assert.Equal(copied, Rows(restoredStore));
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already exists", again.Output);
        // It holds password hashes and signing secrets, as the store does; and nothing was left under another name.
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(["backup.db"], Directory.GetFiles(Path.GetDirectoryName(file)!).Select(Path.GetFileName));
    }

    [SqliteFact]
    public async Task RestoringUnderARunningSite_IsRefused_AndChangesNothing()
    {
        var other = Path.Combine(_folder.Path, "other.db");
        await PortalCommand.RunAsync(other, "import", _folder.Write("seed.txt", Seed.Text));
        var file = Path.Combine(_folder.Path, "other-backup.db");
        Assert.Equal(0, (await PortalCommand.RunAsync(other, "backup", "--out", file)).ExitCode);
        _ = site.Server;
        var before = Rows(site.DatabasePath);

        var restore = await PortalCommand.RunAsync(site.DatabasePath, "restore", file);

        Assert.Equal(1, restore.ExitCode);
        Assert.Contains($"A site is running on {site.DatabasePath}: stop it before restoring", restore.Output);
        Assert.Equal(before, Rows(site.DatabasePath));
    }

    [SqliteFact]
    public async Task RestoringSomethingThatIsNotAStore_ChangesNothing_AndSaysWhy()
    {
        var store = Path.Combine(_folder.Path, "keep.db");
        await PortalCommand.RunAsync(store, "import", _folder.Write("seed.txt", Seed.Text));
        var notAStore = _folder.Write("notes.db", "These are notes, not a database.");

        var restore = await PortalCommand.RunAsync(store, "restore", notAStore);

        Assert.Equal(1, restore.ExitCode);
        Assert.Contains("is not a NewsPortal store", restore.Output);
        Assert.Single(Rows(store));
    }

    [SqliteFact]
    public async Task RestoringADatabaseThatOnlyLooksLikeAStore_ChangesNothing_AndSaysWhy()
    {
        var store = Path.Combine(_folder.Path, "kept.db");
        await PortalCommand.RunAsync(store, "import", _folder.Write("seed.txt", Seed.Text));
        var lookalike = Path.Combine(_folder.Path, "lookalike.db");
        using (var connection = new SqliteConnection($"Data Source={lookalike};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE \"Articles\" (x); INSERT INTO \"Articles\" VALUES (1), (2), (3);";
            command.ExecuteNonQuery();
        }

        var restore = await PortalCommand.RunAsync(store, "restore", lookalike);
        var import = await PortalCommand.RunAsync(store, "import", _folder.Write("more.txt", Seed.Text));

        Assert.Equal(1, restore.ExitCode);
        Assert.Contains("is not a NewsPortal store", restore.Output);
        Assert.Single(Rows(store));
        Assert.True(import.ExitCode == 0, import.Output + import.Errors);
    }
}
