using NewsPortal.Web.Shared;
using Npgsql;
using StackExchange.Redis;

namespace NewsPortal.Web.Data;

public enum StoreProvider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Where the portal keeps its state, from configuration: <c>Database:Provider</c> (Sqlite, the default, or Postgres)
/// with <c>ConnectionStrings:NewsPortal</c>, and <c>ConnectionStrings:Redis</c> when nodes share a cache and keys.
/// </summary>
public sealed class StoreSettings
{
    private StoreSettings(StoreProvider provider, string? redis, string redisPrefix)
    {
        Provider = provider;
        RedisPrefix = redisPrefix;
        RedisConfiguration = redis;
        if (redis is not null)
        {
            const string redisSetting = "a StackExchange.Redis configuration (for example 127.0.0.1:6379)";
            var options = Setting.Read("ConnectionStrings:Redis", redisSetting, () => ConfigurationOptions.Parse(redis));
            if (options.EndPoints.Count == 0)
            {
                throw new SettingException($"ConnectionStrings:Redis could not be read as {redisSetting}: it names no server.");
            }

            // A node starts and serves even while Redis is away; /health/ready says so, and the connection retries.
            options.AbortOnConnectFail = false;
            Redis = new Lazy<IConnectionMultiplexer>(() => ConnectionMultiplexer.Connect(options));
        }
    }

    public StoreProvider Provider { get; }

    public string? RedisConfiguration { get; }

    /// <summary>
    /// What every key the portal writes to Redis begins with (<c>Redis:Prefix</c>, "newsportal:" by default): sites
    /// sharing one Redis need one each, and so do sites sharing one Redis but not one store.
    /// </summary>
    public string RedisPrefix { get; }

    /// <summary>One connection to Redis for the process, opened on first use; null without <c>ConnectionStrings:Redis</c>.</summary>
    public Lazy<IConnectionMultiplexer>? Redis { get; }

    public static StoreSettings From(IConfiguration configuration)
    {
        var name = configuration["Database:Provider"];
        var provider = string.IsNullOrWhiteSpace(name) ? StoreProvider.Sqlite
            : EnumName.TryParse<StoreProvider>(name, out var parsed) ? parsed
            : throw new SettingException($"Database:Provider is '{name}'; it must be Sqlite or Postgres.");
        var redis = configuration.GetConnectionString("Redis");
        return new StoreSettings(provider, string.IsNullOrWhiteSpace(redis) ? null : redis, configuration["Redis:Prefix"] is { Length: > 0 } prefix ? prefix : "newsportal:");
    }

    /// <summary>
    /// The session time zone is UTC, so that times the portal passes as UTC compare rightly with its columns, which
    /// hold UTC without a zone (see <see cref="PostgresNewsDbContext"/>). Statements a connection runs again and again
    /// are prepared on the server, so PostgreSQL plans a page's queries once per connection instead of on every
    /// request (about a millisecond a query); a connection string that sets <c>Max Auto Prepare</c> itself (0 behind
    /// a pooler that cannot keep prepared statements) is left as it is. Queries are not compiled just in time (see
    /// <see cref="NoJit"/>), unless the connection string passes options of its own. A connection going back to the pool
    /// is not reset (<c>No Reset On Close</c>, unless the connection string says): Npgsql's reset is a statement sent with
    /// the next command, undoing session settings, advisory locks and cursors the portal never leaves on a pooled
    /// connection (its settings and locks last a transaction; the start-up lock has a connection of its own, see
    /// <see cref="PostgresStartupLock"/>), and skipping it gave 11 to 14% more uncached pages a second.
    /// </summary>
    public static string PreparePostgresConnectionString(string connectionString)
    {
        var builder = Setting.Read("ConnectionStrings:NewsPortal", "an Npgsql connection string", () => new NpgsqlConnectionStringBuilder(connectionString));
        builder.Timezone = "UTC";
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = AutoPreparedStatements;
            builder.AutoPrepareMinUsages = 2;
        }

        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        if (!given.ContainsKey("Options"))
        {
            builder.Options = NoJit;
        }

        return builder.ToString();
    }

    /// <summary>
    /// PostgreSQL compiles a query whose estimated cost passes <c>jit_above_cost</c>, which pays off for reports over
    /// millions of rows, not for a page: a search's dozen small index reads (see <see cref="Search.PostgresSearch"/>)
    /// were guessed costly enough to be compiled on every request, 110 ms of its 130 at 1,000,000 stories.
    /// </summary>
    public const string NoJit = "-c jit=off";

    /// <summary>Statements kept prepared per connection: every query the public pages send, with room to spare.</summary>
    public const int AutoPreparedStatements = 256;

    /// <summary>The folder for files kept beside the store: the SQLite file's folder, else App_Data under the content root.</summary>
    public string DataDirectory(IConfiguration configuration, IWebHostEnvironment environment)
    {
        if (Provider == StoreProvider.Sqlite
            && configuration.GetConnectionString("NewsPortal") is { } sqlite
            && Path.GetDirectoryName(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(
                DatabaseInitializer.PrepareSqliteConnectionString(sqlite, environment.ContentRootPath)).DataSource) is { Length: > 0 } directory)
        {
            return directory;
        }

        var appData = Path.Combine(environment.ContentRootPath, "App_Data");
        Directory.CreateDirectory(appData);
        return appData;
    }
}
