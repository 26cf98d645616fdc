using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using NewsPortal.Web.Data;
using Npgsql;

namespace NewsPortal.Tests.Infrastructure;

/// <summary>
/// A store of a test's own, on the provider the run is for: SQLite (a file in a temp folder) unless
/// <c>NEWSPORTAL_TEST_PROVIDER=Postgres</c>, then a database created for it on the server named by
/// <c>NEWSPORTAL_TEST_POSTGRES</c> (a connection string for a role that may create databases), dropped afterwards.
/// </summary>
public sealed class TestStore : IDisposable
{
    private const string DefaultServer = "Host=127.0.0.1;Username=newsportal;Password=newsportal;Database=postgres";

    private readonly string? _database;

    /// <param name="directory">Where a SQLite store's file goes.</param>
    /// <param name="migrated">
    /// Whether the store starts as a copy of one migrated once for the run, as every test but those of migrating (and
    /// of making a store) wants; empty otherwise.
    /// </param>
    public TestStore(string directory, bool migrated = true)
    {
        Directory.CreateDirectory(directory);
        SqlitePath = Path.Combine(directory, "newsportal.db");
        if (IsPostgres)
        {
            // As the app sets it, before this process first uses Npgsql.
            PostgresNewsDbContext.UseTimesWithoutZones();
            _database = "np_test_" + Guid.NewGuid().ToString("N");
            Execute(migrated ? $"CREATE DATABASE \"{_database}\" TEMPLATE \"{MigratedTemplate.Value}\"" : $"CREATE DATABASE \"{_database}\"");
            ConnectionString = new NpgsqlConnectionStringBuilder(Server) { Database = _database, Pooling = true, MaxPoolSize = 20 }.ToString();
        }
        else
        {
            if (migrated)
            {
                File.Copy(MigratedSqliteTemplate.Value, SqlitePath);
            }

            ConnectionString = $"Data Source={SqlitePath}";
        }
    }

    /// <summary>
    /// A SQLite file migrated once for the run, which each store's is copied from, as <see cref="MigratedTemplate"/>
    /// is on PostgreSQL: migrating each new file took about 300 ms of CPU, a few hundred times a run. Deleted when the
    /// run ends.
    /// </summary>
    private static readonly Lazy<string> MigratedSqliteTemplate = new(() =>
    {
        var directory = Path.Combine(Path.GetTempPath(), "newsportal-tests", "template-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "newsportal.db");
        // Unpooled, and in SQLite's default journal, so that the migrated schema is all in the one file copied.
        using (var db = new NewsDbContext(new DbContextOptionsBuilder<NewsDbContext>().UseSqlite($"Data Source={path};Pooling=False").Options))
        {
            DatabaseInitializer.MigrateAsync(db).GetAwaiter().GetResult();
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(directory, recursive: true);
        return path;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// A PostgreSQL database migrated once for the whole run, which each store's is copied from: a copy of its few
    /// megabytes takes milliseconds, where migrating each new database took about half a second of CPU, a few hundred
    /// times a run. Dropped when the run ends.
    /// </summary>
    private static readonly Lazy<string> MigratedTemplate = new(() =>
    {
        var name = "np_template_" + Guid.NewGuid().ToString("N");
        Execute($"CREATE DATABASE \"{name}\"");
        // Unpooled, so that no session is left on it: PostgreSQL copies only a database nobody is connected to.
        var connectionString = StoreSettings.PreparePostgresConnectionString(
            new NpgsqlConnectionStringBuilder(Server) { Database = name, Pooling = false }.ToString());
        using (var db = new PostgresNewsDbContext(new DbContextOptionsBuilder<PostgresNewsDbContext>().UseNpgsql(connectionString).Options))
        {
            DatabaseInitializer.MigrateAsync(db).GetAwaiter().GetResult();
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Execute($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
            }
            catch (NpgsqlException)
            {
                // Left to the throwaway role's cluster, as a test's own database can be.
            }
        };
        return name;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    public static bool IsPostgres => string.Equals(Environment.GetEnvironmentVariable("NEWSPORTAL_TEST_PROVIDER"), "Postgres", StringComparison.OrdinalIgnoreCase);

    public static string Provider => IsPostgres ? "Postgres" : "Sqlite";

    private static string Server => Environment.GetEnvironmentVariable("NEWSPORTAL_TEST_POSTGRES") is { Length: > 0 } server ? server : DefaultServer;

    public string ConnectionString { get; }

    /// <summary>The SQLite file (SQLite runs only; tests of SQLite's own behaviour use it).</summary>
    public string SqlitePath { get; }

    /// <summary>Redis for the run (<c>NEWSPORTAL_TEST_REDIS</c>, such as 127.0.0.1:6390), or none.</summary>
    public static string? Redis => Environment.GetEnvironmentVariable("NEWSPORTAL_TEST_REDIS") is { Length: > 0 } redis ? redis : null;

    /// <summary>This store's own keys in a Redis shared by every test: pages cached for one store must not be served from another.</summary>
    public string RedisPrefix { get; } = $"np-test-{Guid.NewGuid():N}:";

    /// <summary>The settings that point the app at this store (and the run's Redis), as configuration keys.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Settings =>
    [
        new("Database:Provider", Provider),
        new("ConnectionStrings:NewsPortal", ConnectionString),
        .. Redis is { } redis ? new KeyValuePair<string, string>[] { new("ConnectionStrings:Redis", redis), new("Redis:Prefix", RedisPrefix) } : [],
    ];

    /// <summary>Runs a query of one number (quote names: <c>SELECT COUNT(*) FROM "Articles"</c>) on this store.</summary>
    public long Scalar(string sql)
    {
        using System.Data.Common.DbConnection connection = _database is null
            ? new SqliteConnection($"Data Source={SqlitePath};Pooling=False")
            : new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Keeps PostgreSQL's autovacuum off this store's tables, for tests that read query plans: a fixture of a few dozen
    /// rows is planned one way before autovacuum has counted and vacuumed it and another way after (a whole small
    /// covering index read rather than looked up), so the plans hung on when autovacuum happened to wake. Call it once
    /// the app has created the tables. Nothing to do on SQLite, which has no background statistics.
    /// </summary>
    public void KeepAutovacuumAway()
    {
        if (_database is null)
        {
            return;
        }

        Scalar("""
            DO $$
            DECLARE t text;
            BEGIN
                FOR t IN SELECT format('%I.%I', schemaname, tablename) FROM pg_tables WHERE schemaname = 'public' LOOP
                    EXECUTE 'ALTER TABLE ' || t || ' SET (autovacuum_enabled = false, toast.autovacuum_enabled = false)';
                END LOOP;
            END $$
            """);
    }

    public void Dispose()
    {
        if (_database is not null)
        {
            NpgsqlConnection.ClearAllPools();
            try
            {
                Execute($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)");
            }
            catch (PostgresException)
            {
                // A session this role may not end (an autovacuum worker): the database is left to the throwaway
                // cluster; a test's outcome does not hang on its cleanup.
            }
        }
        else
        {
            SqliteConnection.ClearAllPools();
        }
    }

    private static void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Server) { Pooling = false }.ToString());
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}

/// <summary>A fact about SQLite's own behaviour (its query plans, its files): skipped on a PostgreSQL run.</summary>
public sealed class SqliteFactAttribute : FactAttribute
{
    public SqliteFactAttribute()
    {
        if (TestStore.IsPostgres)
        {
            Skip = "SQLite only: this run is on PostgreSQL";
        }
    }
}

/// <summary>A theory about SQLite's own behaviour: skipped on a PostgreSQL run.</summary>
public sealed class SqliteTheoryAttribute : TheoryAttribute
{
    public SqliteTheoryAttribute()
    {
        if (TestStore.IsPostgres)
        {
            Skip = "SQLite only: this run is on PostgreSQL";
        }
    }
}

/// <summary>A fact that needs a PostgreSQL server (moving a store to it): run on the PostgreSQL pass, skipped on SQLite's.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (!TestStore.IsPostgres)
        {
            Skip = "PostgreSQL only: this run is on SQLite (scripts/test.sh runs both)";
        }
    }
}

/// <summary>A fact about nodes sharing Redis: run when the run has one (scripts/test.sh's PostgreSQL pass), else skipped.</summary>
public sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute()
    {
        if (TestStore.Redis is null)
        {
            Skip = "Needs Redis: set NEWSPORTAL_TEST_REDIS (scripts/test.sh does on its PostgreSQL pass)";
        }
    }
}

/// <summary>A theory about PostgreSQL's own behaviour (its query plans): skipped on a SQLite run.</summary>
public sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute()
    {
        if (!TestStore.IsPostgres)
        {
            Skip = "PostgreSQL only: this run is on SQLite";
        }
    }
}

/// <summary>
/// A fact that writes a key ring of its own: run where the store has one (beside SQLite's file, or in Redis under the
/// store's prefix), skipped on a PostgreSQL run without Redis, whose nodes share the app's App_Data/keys with every test.
/// </summary>
public sealed class OwnKeyRingFactAttribute : FactAttribute
{
    public OwnKeyRingFactAttribute()
    {
        if (TestStore.IsPostgres && TestStore.Redis is null)
        {
            Skip = "Needs a key ring of the store's own: SQLite, or PostgreSQL with NEWSPORTAL_TEST_REDIS (scripts/test.sh sets it)";
        }
    }
}
