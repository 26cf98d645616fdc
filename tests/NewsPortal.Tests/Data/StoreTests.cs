using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Data;
using NewsPortal.Web.Data.Postgres;
using NewsPortal.Web.Import;
using Serilog.Core;
using Serilog.Events;

namespace NewsPortal.Tests.Data;

public sealed class StoreTests
{
    [Fact]
    public async Task FreshStore_IsMigratedAndSeeded()
    {
        using var factory = new FreshStoreFactory();
        _ = factory.Server;

        var pending = await factory.WithDbAsync(db => Task.FromResult(db.Database.GetPendingMigrations().ToList()));
        var slugs = await factory.WithDbAsync(db => db.Articles.Select(a => a.Slug).ToListAsync());

        Assert.Empty(pending);
        Assert.Equal([Seed.Slug], slugs);
    }

    [SqliteFact]
    public async Task AMigrationLockLeftByAProcessThatStopped_IsCleared_AndTheStoreMigrates_InsteadOfTheStartWaitingForEver()
    {
        var sink = new LogSink();
        using var factory = new FreshStoreWithLogFactory(sink);
        // What a process killed part-way through migrating leaves in the store: EF Core's lock, a row in a table.
        await using (var store = new SqliteConnection($"Data Source={factory.DatabasePath};Pooling=False"))
        {
            await store.OpenAsync();
            await using var command = store.CreateCommand();
            command.CommandText = """
                CREATE TABLE "__EFMigrationsLock" ("Id" INTEGER NOT NULL CONSTRAINT "PK___EFMigrationsLock" PRIMARY KEY, "Timestamp" TEXT NOT NULL);
                INSERT INTO "__EFMigrationsLock" ("Id", "Timestamp") VALUES (1, '2026-12-06 03:00:00+00:00');
                """;
            await command.ExecuteNonQueryAsync();
        }

        // Left there, the start waits for the row for ever: the bound is only there to end the test.
        await Task.Run(() => factory.Server).WaitAsync(TimeSpan.FromMinutes(2));

        var pending = await factory.WithDbAsync(db => Task.FromResult(db.Database.GetPendingMigrations().ToList()));
        var slugs = await factory.WithDbAsync(db => db.Articles.Select(a => a.Slug).ToListAsync());
        Assert.Empty(pending);
        Assert.Equal([Seed.Slug], slugs);
        Assert.Contains(sink.AtLeast(LogEventLevel.Warning), line => line.Contains("__EFMigrationsLock", StringComparison.Ordinal));
    }

    [Fact]
    public void AFreshStoresFirstStart_LogsNoFailedStatement()
    {
        var sink = new LogSink();
        using var factory = new FreshStoreWithLogFactory(sink);
        _ = factory.Server;

        Assert.DoesNotContain(sink.AtLeast(LogEventLevel.Warning), line => line.Contains("Failed executing", StringComparison.Ordinal));
        Assert.Contains(sink.AtLeast(LogEventLevel.Information), line => line.Contains("Seeded an empty store", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AStatementThatFails_IsLoggedAsAWarningByEfCore_TheRequestThatFailsBeingTheError()
    {
        using var factory = new EmptyNewsPortalFactory();

        var levels = await factory.WithDbAsync(db =>
        {
            var warnings = db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()!.WarningsConfiguration;
            return Task.FromResult((warnings.GetLevel(RelationalEventId.CommandError), warnings.GetLevel(CoreEventId.SaveChangesFailed)));
        });

        Assert.Equal((Microsoft.Extensions.Logging.LogLevel.Warning, Microsoft.Extensions.Logging.LogLevel.Warning), levels);
    }

    [Fact]
    public async Task NodesStartingTogetherOnAFreshStore_MigrateSeedAndCreateTheAdminOnce()
    {
        using var first = new FreshStoreFactory();
        var nodes = Enumerable.Range(0, 4).Select(_ => new SharedStoreFactory(first.Store, "first.admin@example.org")).ToList();

        await Task.WhenAll(nodes.Select(node => Task.Run(() => node.Server)));
        var slugs = await nodes[0].WithDbAsync(db => db.Articles.Select(a => a.Slug).ToListAsync());
        var admins = await nodes[0].WithDbAsync(db => db.Users.CountAsync(u => u.Email == "first.admin@example.org"));
        nodes.ForEach(node => node.Dispose());

        Assert.Equal([Seed.Slug], slugs);
        Assert.Equal(1, admins);
    }

    [Theory]
    [InlineData("Host=db;Database=news", StoreSettings.AutoPreparedStatements)]
    [InlineData("Host=db;Database=news;Max Auto Prepare=0", 0)]
    [InlineData("Host=db;Database=news;maxautoprepare=10", 10)]
    public void PostgresQueriesArePreparedOnTheServer_UnlessTheConnectionStringSaysOtherwise(string given, int prepared)
    {
        var used = new Npgsql.NpgsqlConnectionStringBuilder(StoreSettings.PreparePostgresConnectionString(given));

        Assert.Equal(prepared, used.MaxAutoPrepare);
        Assert.Equal("UTC", used.Timezone);
        Assert.Equal("news", used.Database);
    }

    [Theory]
    [InlineData("Host=db;Database=news", true)]
    [InlineData("Host=db;Database=news;No Reset On Close=false", false)]
    [InlineData("Host=db;Database=news;noresetonclose=false", false)]
    public void PooledPostgresConnectionsAreNotResetOnTheirReturn_UnlessTheConnectionStringSaysOtherwise(string given, bool notReset)
    {
        Assert.Equal(notReset, new Npgsql.NpgsqlConnectionStringBuilder(StoreSettings.PreparePostgresConnectionString(given)).NoResetOnClose);
    }

    [Theory]
    [InlineData("Host=db;Database=news", "-c jit=off")]
    [InlineData("Host=db;Database=news;Options=-c statement_timeout=5000", "-c statement_timeout=5000")]
    public void PostgresQueriesAreNotCompiledJustInTime_UnlessTheConnectionStringPassesOptionsOfItsOwn(string given, string options)
    {
        Assert.Equal(options, new Npgsql.NpgsqlConnectionStringBuilder(StoreSettings.PreparePostgresConnectionString(given)).Options);
    }

    [PostgresFact]
    public async Task ThePortalsPostgresSessions_RunWithoutJustInTimeCompilation()
    {
        using var factory = new NewsPortalFactory();
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();

        var jit = await db.Database.SqlQueryRaw<string>("SELECT current_setting('jit') AS \"Value\"").SingleAsync();

        Assert.Equal("off", jit);
    }

    [PostgresFact]
    public async Task OnPostgres_StoriesJustWritten_LeaveSearchesAFewPagesOfPendingIndexEntries_NotMegabytes()
    {
        using var factory = new NewsPortalFactory();
        await using var scope = factory.Services.CreateAsyncScope();
        var documents = Enumerable.Range(0, 400).Select(i => new SnippetDocument(
            $"Harbour authority report {i}", new DateOnly(2026, 3, 1).AddDays(i % 200), null, "en", ["Harbours"], $"https://example.org/harbour/{i}",
            "example.org", ["Port Desk"], null,
            $"Report {i}: tonnage, berths, dredging, pilots, tugs, cranes, customs, weather, tides and the ferries of district {i} were counted again.")).ToList();
        var report = await scope.ServiceProvider.GetRequiredService<ImportService>().ImportDocumentsAsync("harbours", documents);
        Assert.Equal(400, report.Imported);

        // The pages the search index still held in its pending list, which each search reads whole (merged here, so the
        // count is what was there). With PostgreSQL's 4 MB these 400 stories left 37 pages.
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        var pending = await db.Database.SqlQueryRaw<long>(
            $"""SELECT gin_clean_pending_list('"IX_Articles_{PostgresSchema.SearchVector}"'::regclass) AS "Value" """).SingleAsync();

        Assert.InRange(pending, 0, PostgresSchema.SearchPendingListKb / 8);
    }

    [PostgresFact]
    public async Task OnPostgres_ChangingAHeadline_RewritesItsWordsByTheirKey_WithoutReadingEveryStorysWords()
    {
        using var factory = new NewsPortalFactory();
        await using var scope = factory.Services.CreateAsyncScope();
        var documents = Enumerable.Range(0, 2000).Select(i => new SnippetDocument(
            $"Ferry {i} delayed by fog at pier {i * 7}", new DateOnly(2026, 3, 1).AddDays(i % 200), null, "en", ["Harbours"], $"https://example.org/ferry/{i}",
            "example.org", ["Port Desk"], null, $"Ferry {i} waited.")).ToList();
        var report = await scope.ServiceProvider.GetRequiredService<ImportService>().ImportDocumentsAsync("ferries", documents);
        Assert.Equal(2000, report.Imported);
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        await db.Database.ExecuteSqlRawAsync($"""ANALYZE "{PostgresSchema.HeadlineWords}" """);
        var id = await db.Articles.Where(a => a.Title == "Ferry 1200 delayed by fog at pier 8400").Select(a => a.Id).SingleAsync();

        TableScans scans;
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await db.Database.ExecuteSqlRawAsync("""UPDATE "Articles" SET "Title" = 'Lighthouse keeper rescues kayakers' WHERE "Id" = {0}""", id);
            // This transaction's own reads of the words table, counted as they happen.
            scans = await db.Database.SqlQueryRaw<TableScans>($"""
                SELECT seq_scan AS "Sequential", idx_scan AS "ByIndex" FROM pg_stat_xact_user_tables WHERE relname = '{PostgresSchema.HeadlineWords}'
                """).SingleAsync();
            await transaction.CommitAsync();
        }

        var words = await db.Database.SqlQueryRaw<string>($$"""
            SELECT "Word" AS "Value" FROM "{{PostgresSchema.HeadlineWords}}" WHERE "ArticleId" = {0} ORDER BY "Word"
            """, id).ToListAsync();
        Assert.Equal(["kayakers", "keeper", "lighthouse", "rescues"], words);
        // Before, the old words were found by story alone, which no index serves: 290 ms a headline at 100,000 stories.
        Assert.Equal(0, scans.Sequential);
        Assert.True(scans.ByIndex > 0);
    }

    private sealed record TableScans(long Sequential, long ByIndex);

    [SqliteFact]
    public async Task FreshSqliteStore_IsInWalMode_WithFixedPlannerStatistics()
    {
        using var factory = new NewsPortalFactory();
        _ = factory.Server;

        await using var connection = new SqliteConnection($"Data Source={factory.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        var journal = (string?)await command.ExecuteScalarAsync();
        command.CommandText = "SELECT stat FROM sqlite_stat1 WHERE idx = 'IX_Articles_Listed_SortKey_Id';";
        var statistics = (string?)await command.ExecuteScalarAsync();

        Assert.Equal("wal", journal);
        // Planned as a large store whatever this one holds (see PlannerStatistics).
        Assert.Equal(NewsPortal.Web.Data.PlannerStatistics.Rows.Single(r => r.Index == "IX_Articles_Listed_SortKey_Id").Stat, statistics);
    }

    [SqliteFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void ANewSqliteStore_AndItsJournal_AreReadableByTheirOwnerOnly()
    {
        using var factory = new FreshStoreFactory();
        _ = factory.Server;
        // The write-ahead log is there while a connection is open: another test clearing every pool closes the site's
        // last one, and SQLite removes the log with it. SQLite makes the log with the store's own permissions.
        using var open = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={factory.DatabasePath};Pooling=False");
        open.Open();
        using (var read = open.CreateCommand())
        {
            read.CommandText = "SELECT count(*) FROM sqlite_schema";
            read.ExecuteScalar();
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(factory.DatabasePath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(factory.DatabasePath + "-wal"));
    }

    [SqliteFact]
    public async Task AStartupLockThatCannotBeMade_StopsTheStartWithItsPath_InsteadOfWaitingForEver()
    {
        using var factory = new NewsPortalFactory();
        Directory.CreateDirectory(Path.GetDirectoryName(factory.DatabasePath)!);
        // A link to itself: opening it fails as a read-only or full disk would, and no other process will ever let go.
        File.CreateSymbolicLink(factory.DatabasePath + ".startup-lock", factory.DatabasePath + ".startup-lock");

        var start = Task.Run(() => factory.Server);
        var failure = await Record.ExceptionAsync(() => start.WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.IsNotType<TimeoutException>(failure);
        Assert.Contains("startup-lock beside the store (ConnectionStrings:NewsPortal)", failure?.ToString());
    }

    [Fact]
    public async Task SecondStart_DoesNotSeedAgain()
    {
        using var first = new NewsPortalFactory();
        _ = first.Server;
        await first.AddArticleAsync(new ArticleBuilder().Titled("Added after the seed"));
        // An editor removed the seed story for good: a store that is not empty is never seeded again, so it stays gone.
        await first.WithDbAsync(db => db.Articles.Where(a => a.Title == Seed.Title).ExecuteDeleteAsync());
        using var second = new SharedStoreFactory(first.Store);
        _ = second.Server;
        var titles = await second.WithDbAsync(db => db.Articles.Select(a => a.Title).OrderBy(t => t).ToListAsync());

        Assert.Equal(["Added after the seed"], titles);
    }

    [Fact]
    public async Task SeedingTurnedOff_LeavesTheStoreEmpty()
    {
        using var factory = new EmptyNewsPortalFactory();
        var page = await factory.CreateClient().GetDocumentAsync("/");

        Assert.Equal(0, await factory.WithDbAsync(db => db.Articles.CountAsync()));
        Assert.Equal("No stories here yet.", page.TextOf(".empty"));
    }

    [Fact]
    public async Task ASeedFolderThatIsMissing_IsAWarning_NamingIt()
    {
        var sink = new LogSink();
        using var factory = new SeedFolderFactory("no-such-seeds", sink);
        _ = factory.Server;

        Assert.Equal(0, await factory.WithDbAsync(db => db.Articles.CountAsync()));
        var warning = Assert.Single(sink.AtLeast(LogEventLevel.Warning), w => w.Contains("Not seeding", StringComparison.Ordinal));
        Assert.Contains("no-such-seeds", warning);
        Assert.Contains("Portal:SeedDirectory", warning);
    }

    [Fact]
    public async Task DotnetRun_SeedsTheIstanbulReportAndAWeekOfCreditedNews_WithDevelopingStories()
    {
        // What the README's run command seeds: launchSettings.json names the folders for `dotnet run`.
        var repository = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(repository.FullName, "NewsPortal.sln")))
        {
            repository = repository.Parent!;
        }

        using var launch = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(repository.FullName, "src", "NewsPortal.Web", "Properties", "launchSettings.json")));
        var folders = launch.RootElement.GetProperty("profiles").GetProperty("http").GetProperty("environmentVariables").GetProperty("Portal__SeedDirectory").GetString()!;
        var sink = new LogSink();
        using var factory = new SeedFolderFactory(folders, sink);
        var client = factory.CreateClient();

        var front = await client.GetDocumentAsync("/");
        var istanbul = await client.GetDocumentAsync($"/articles/{Seed.Slug}");
        var demo = await client.GetDocumentAsync(front.QuerySelector("main a[href^=\"/articles/\"]")!.GetAttribute("href")!);

        Assert.Equal("Seeds;DemoSeeds", folders);
        Assert.DoesNotContain(sink.AtLeast(LogEventLevel.Warning), w => w.Contains("seed", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(181, await factory.WithDbAsync(db => db.Articles.CountAsync()));
        Assert.Equal(Seed.Title, istanbul.TextOf("h1"));
        Assert.True(front.QuerySelectorAll("main a[href^=\"/threads/\"]").Length >= 5);
        Assert.Contains("CC BY-SA 4.0, Wikipedia contributors", demo.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASeedFolderWithAFileItCannotImport_IsAWarning_WithTheReport()
    {
        using var folder = new TempFolder();
        folder.Write("broken.txt", "This is not a snippet.");
        var sink = new LogSink();
        using var factory = new SeedFolderFactory(folder.Path, sink);
        _ = factory.Server;

        var warning = Assert.Single(sink.AtLeast(LogEventLevel.Warning), w => w.Contains("Seeded an empty store", StringComparison.Ordinal));
        Assert.Contains("broken.txt", warning);
    }

    /// <summary>A store with nothing in it, not even the migrations' history, logging to <paramref name="sink"/>.</summary>
    private sealed class FreshStoreWithLogFactory(LogSink sink) : NewsPortalFactory(migrated: false)
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddSingleton<ILogEventSink>(sink));
        }
    }

    /// <summary>An empty store seeded from <paramref name="folder"/> (relative to the app's folder, or absolute).</summary>
    private sealed class SeedFolderFactory(string folder, LogSink sink) : NewsPortalFactory
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Portal:SeedDirectory", folder);
            builder.ConfigureServices(services => services.AddSingleton<ILogEventSink>(sink));
        }
    }

    /// <summary>Another node on the same store (and, when named, the first admin from configuration).</summary>
    private sealed class SharedStoreFactory(TestStore store, string? admin = null) : NewsPortalFactory
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            foreach (var (key, value) in store.Settings)
            {
                builder.UseSetting(key, value);
            }

            if (admin is not null)
            {
                builder.UseSetting("Admin:Email", admin);
                builder.UseSetting("Admin:Password", "the first admin's password");
            }
        }
    }
}
