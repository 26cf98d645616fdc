using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Options;
using NewsPortal.Web.Accounts;
using NewsPortal.Web.Import;
using NewsPortal.Web.Shared;
using NewsPortal.Web.Webhooks;

namespace NewsPortal.Web.Data;

/// <summary>Brings the store up to date at start-up: applies migrations, turns on WAL, creates the admin named in configuration and loads the seed snippets into an empty store.</summary>
public static class DatabaseInitializer
{
    public static async Task InitializeAsync(IServiceProvider services, bool seed, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();

        // Nodes starting together take turns: one migrates, creates the admin and loads the seed; the others wait,
        // then find it done.
        await using IAsyncDisposable? turn = db.Database.IsNpgsql()
            ? await PostgresStartupLock.TakeAsync(db, cancellationToken)
            : await SqliteStartupLock.TakeAsync(db, cancellationToken);
        var logger = scope.ServiceProvider.GetRequiredService<ILogger<NewsDbContext>>();
        if (turn is SqliteStartupLock)
        {
            await ClearAbandonedMigrationLockAsync(db, logger, cancellationToken);
        }

        await MigrateAsync(db, cancellationToken: cancellationToken);
        await NameIndex.FillIndexKeysAsync(db, cancellationToken);
        if (db.Database.IsSqlite())
        {
            // WAL lets readers keep reading while an import writes; the setting is stored in the database file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            await PlannerStatistics.ApplyAsync(db, cancellationToken);
        }

        await scope.ServiceProvider.GetRequiredService<UserService>()
            .EnsureConfiguredAdminAsync(scope.ServiceProvider.GetRequiredService<IConfiguration>());
        var secrets = await PortalUserStore.UpgradeStoredAsync(db, scope.ServiceProvider.GetRequiredService<AuthenticatorKeys>(), cancellationToken);
        if (secrets.CodesHashed + secrets.KeysEncrypted > 0)
        {
            logger.LogInformation("Hashed the recovery codes of {Accounts} accounts and encrypted {Keys} authenticator keys, stored as they were by an earlier version", secrets.CodesHashed, secrets.KeysEncrypted);
        }

        if (secrets.KeysUnreadable > 0)
        {
            logger.LogWarning("Accounts whose authenticator key this site's data-protection keys cannot read: {Accounts}. Were the keys (App_Data/keys, or Redis when nodes share it) lost, or not restored with the store? Those editors sign in with a recovery code, or an admin turns their two-step sign-in off ('users two-step-off')", secrets.KeysUnreadable);
        }

        await scope.ServiceProvider.GetRequiredService<WebhookSecrets>().UpgradeStoredAsync(db, cancellationToken);

        var options = scope.ServiceProvider.GetRequiredService<IOptions<PortalOptions>>().Value;
        if (!seed || !options.SeedOnStartup || await db.Articles.AnyAsync(cancellationToken))
        {
            return;
        }

        var folders = new List<string>();
        foreach (var folder in options.SeedDirectory.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var seedDirectory = Path.Combine(HostFolders.AppDirectory, folder);
            if (Directory.Exists(seedDirectory))
            {
                folders.Add(seedDirectory);
            }
            else
            {
                // A site that shows nothing on its first start is a misconfiguration worth seeing among the warnings.
                logger.LogWarning("Not seeding the empty store: there is no folder {Directory} (Portal:SeedDirectory)", seedDirectory);
            }
        }

        if (folders.Count == 0)
        {
            return;
        }

        var report = await scope.ServiceProvider.GetRequiredService<ImportService>().ImportPathsAsync(folders, dryRun: false, cancellationToken: cancellationToken);
        logger.Log(report.HasRejections ? LogLevel.Warning : LogLevel.Information,
            "Seeded an empty store from {Directory}: {Report}", string.Join("; ", folders), report.ToString());
    }

    /// <summary>
    /// EF Core's lock on migrating a SQLite store is a row in <c>__EFMigrationsLock</c>, deleted when the migration
    /// ends. A process stopped part-way through a migration (killed for a slow start on a large store, a power cut), or
    /// a migration that failed in some steps (dotnet/efcore#38958), leaves the row, and every later start would wait
    /// for it for ever, silently. The caller holds the startup lock, so no other migration of this store is running:
    /// a row there is abandoned.
    /// </summary>
    private static async Task ClearAbandonedMigrationLockAsync(NewsDbContext db, ILogger logger, CancellationToken cancellationToken)
    {
        // On the connection itself, not through EF Core: a file that is not a store fails here first, and EF Core would
        // log the failed statement with its stack before the start's one-line reason.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = """
                SELECT count(*) FROM "sqlite_master" WHERE "type" = 'table' AND "name" = '__EFMigrationsLock'
                """;
            if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                return;
            }

            command.CommandText = """DELETE FROM "__EFMigrationsLock" """;
            if (await command.ExecuteNonQueryAsync(cancellationToken) > 0)
            {
                logger.LogWarning("The last migration of this store did not finish (its process stopped, or the migration failed): "
                    + "its lock (a row in __EFMigrationsLock) was cleared, and migrating starts again");
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Applies the migrations (up to <paramref name="target"/>, else all), with the functions some of them call.</summary>
    public static async Task MigrateAsync(NewsDbContext db, string? target = null, CancellationToken cancellationToken = default)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            if (db.Database.GetDbConnection() is SqliteConnection sqlite)
            {
                SqliteConnectionSetup.AddMigrationFunctions(sqlite);
            }

            // A new store has no history table yet, and EF Core's first look at it is a query that fails (PostgreSQL
            // logs it, and the portal's handled-failure warnings repeat it, twice on every new install). The
            // migrator creates the table first thing anyway; created here, nothing fails.
            await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);

            // The migrator compares the whole model with its snapshot before it does anything (about a second at
            // start-up); a store that already has every migration skips it.
            if (target is null && !(await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any())
            {
                return;
            }

            // A migration that fills a new table or index reads every story: minutes on a large store, which a
            // command's usual time limit would cut off half-way (and then retry from the start).
            db.Database.SetCommandTimeout(TimeSpan.FromHours(1));
            await db.GetService<IMigrator>().MigrateAsync(target, cancellationToken);
        }
        finally
        {
            db.Database.SetCommandTimeout(null);
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Creates a new store's file readable by its owner only (SQLite gives its journal files the same mode): it holds
    /// password hashes, webhook signing secrets and unpublished stories. An empty file is an empty SQLite database.
    /// </summary>
    private static void CreateForOwnerOnly(string path)
    {
        if (File.Exists(path))
        {
            return;
        }

        try
        {
            using var created = new FileStream(path, HostFolders.OwnerOnly(FileMode.CreateNew));
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another node or command created it first.
        }
    }

    /// <summary>
    /// Resolves a relative SQLite file path against the content root and creates its folder (and the file, for its owner only),
    /// so the default store works on a fresh machine wherever the app is started from.
    /// </summary>
    public static string PrepareSqliteConnectionString(string connectionString, string contentRoot)
    {
        // A bare path ("/srv/news.db") is what most people write first: it names the file.
        var builder = Setting.Read("ConnectionStrings:NewsPortal", "a SQLite connection string (Data Source=path)",
            () => connectionString.Contains('=', StringComparison.Ordinal)
                ? new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString)
                : new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = connectionString.Trim() });
        var dataSource = builder.DataSource;
        if (string.IsNullOrEmpty(dataSource) || dataSource == ":memory:" || builder.Mode == Microsoft.Data.Sqlite.SqliteOpenMode.Memory)
        {
            return connectionString;
        }

        var fullPath = Path.GetFullPath(dataSource, contentRoot);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
            if (builder.Mode == Microsoft.Data.Sqlite.SqliteOpenMode.ReadWriteCreate)
            {
                CreateForOwnerOnly(fullPath);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SettingException($"ConnectionStrings:NewsPortal names {fullPath}, which cannot be created there ({ex.Message})", ex);
        }

        builder.DataSource = fullPath;
        return builder.ToString();
    }
}
