using Microsoft.AspNetCore.Hosting;
using NewsPortal.Tests.Infrastructure;

namespace NewsPortal.Tests.Shared;

/// <summary>A setting the site cannot work with stops it at start-up, naming the setting, instead of failing requests later.</summary>
public sealed class StartupSettingTests
{
    private sealed class SettingFactory(string key, string value) : NewsPortalFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting(key, value);
        }
    }

    [Theory]
    [InlineData("Api:RequestsPerMinute", "0", "Api:RequestsPerMinute must be a whole number from 1")]
    [InlineData("Api:RequestsPerMinute", "1000000001", "Api:RequestsPerMinute must be a whole number from 1 to 1,000,000,000")]
    [InlineData("Api:TokenRequestsPerMinute", "-5", "Api:TokenRequestsPerMinute must be a whole number from 1")]
    [InlineData("Security:SignInAttemptsPerMinute", "0", "Security:SignInAttemptsPerMinute must be a whole number from 1")]
    [InlineData("Security:SignInAttemptsPerAccountPerMinute", "abc", "Security:SignInAttemptsPerAccountPerMinute must be a whole number from 1")]
    [InlineData("Portal:PublicBaseUrl", "https://news.example.org/news/", "Portal:PublicBaseUrl must be an http or https address with no path")]
    [InlineData("Database:Provider", "1", "Database:Provider is '1'; it must be Sqlite or Postgres")]
    [InlineData("Import:CommandHeapMegabytes", "8", "Import:CommandHeapMegabytes is 8; it must be 0 (no limit) or at least 40")]
    [InlineData("Proxy:KnownProxies", "10.0.0.5, proxy.example.org", "Proxy:KnownProxies could not be read as addresses separated by commas ('proxy.example.org' is not an IP address)")]
    [InlineData("ConnectionStrings:Redis", "127.0.0.1:abc", "ConnectionStrings:Redis could not be read as a StackExchange.Redis configuration (for example 127.0.0.1:6379): it names no server")]
    [InlineData("Webhooks:AllowedNetworks", "10.1.2.0/24, intranet", "Webhooks:AllowedNetworks: 'intranet' is not a network such as 10.1.2.0/24.")]
    [InlineData("Portal:DefaultLanguage", "-1", "Portal:DefaultLanguage must be a language tag such as en or pt-BR.")]
    [InlineData("Portal:WriteWaitSeconds", "0", "The field WriteWaitSeconds must be between 0.001 and 3600.")]
    [InlineData("Security:RequireTwoStep", "admin", "Security:RequireTwoStep must be None, Admins or Everyone")]
    [InlineData("Security:RequireTwoStep", "2", "Security:RequireTwoStep must be None, Admins or Everyone")]
    [InlineData("Security:RememberSecondStepDays", "-1", "Security:RememberSecondStepDays must be a whole number of days from 0 (always ask) to 365; it is '-1'.")]
    [InlineData("Security:RememberSecondStepDays", "366", "Security:RememberSecondStepDays must be a whole number of days from 0 (always ask) to 365; it is '366'.")]
    [InlineData("Security:RememberSecondStepDays", "a month", "Security:RememberSecondStepDays must be a whole number of days from 0 (always ask) to 365")]
    public void ASettingTheSiteCannotWorkWith_StopsTheStart_NamingIt(string key, string value, string message)
    {
        using var factory = new SettingFactory(key, value);

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains(message, error.ToString());
    }

    [Fact]
    public async Task ALimitAsHighAsTheLoadBenchmarksSet_Starts()
    {
        // scripts/bench.sh and scripts/soak.sh set this so that wrk is not answered 429.
        using var factory = new SettingFactory("Api:RequestsPerMinute", "100000000");
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/api/v1/articles");

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("Serilog__MinimumLevel__Default", "Loud", "Serilog could not be read as logging settings", "The value Loud is not a valid Serilog level")]
    [InlineData("Serilog__MinimumLevel__Override__Microsoft", "quiet", "Serilog could not be read as logging settings", "No LoggingLevelSwitch has been declared with name \"quiet\"")]
    [InlineData("Serilog__Using__0", "Serilog.Sinks.Nowhere", "Serilog could not be read as logging settings", "Could not load file or assembly 'Serilog.Sinks.Nowhere")]
    [InlineData("Cache__DurationSeconds", "abc", "Cache:DurationSeconds must be a whole number (up to 2,147,483,647); it is 'abc'.", "")]
    [InlineData("Portal__RequestTimeoutSeconds", "soon", "Portal:RequestTimeoutSeconds must be a number such as 2.5; it is 'soon'.", "")]
    [InlineData("Webhooks__Enabled", "sometimes", "Webhooks:Enabled must be true or false; it is 'sometimes'.", "")]
    [InlineData("Feeds__ItemCount", "-1", "DataAnnotation validation failed for 'FeedOptions' members: 'ItemCount' with the error: 'The field ItemCount must be between 1 and 500.'", "")]
    [InlineData("Portal__PageSize", "99999999999", "Portal:PageSize must be a whole number (up to 2,147,483,647); it is '99999999999'.", "")]
    public async Task ASettingThatCannotBeRead_StopsTheProcess_InOneLineNamingIt(string key, string value, string reason, string problem)
    {
        // With the site's address set, so that the setting is the first thing wrong.
        var run = await PortalCommand.RunAsync(Path.Combine(Path.GetTempPath(), "unused.db"),
            [new(key, value), new("Portal__PublicBaseUrl", "http://127.0.0.1")], "--urls", "http://127.0.0.1:0");

        var said = run.Output + run.Errors;
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("NewsPortal cannot start: " + reason, said);
        Assert.Contains(problem, said);
        Assert.DoesNotContain("   at ", said);
    }

    [Fact]
    public async Task AConnectionStringThatCannotBeRead_StopsTheProcess_InOneLineWithoutItsPassword()
    {
        var run = await PortalCommand.RunAsync(Path.Combine(Path.GetTempPath(), "unused.db"),
            [new("Database__Provider", "Postgres"), new("ConnectionStrings__NewsPortal", "Host=db;Pasword=hunter2;Username=news")], "--urls", "http://127.0.0.1:0");

        var said = run.Output + run.Errors;
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("NewsPortal cannot start: ConnectionStrings:NewsPortal could not be read as an Npgsql connection string", said);
        Assert.DoesNotContain("hunter2", said);
        Assert.DoesNotContain("   at ", said);
        Assert.DoesNotContain("Unhandled exception", said);
    }

    [Fact]
    public async Task AStoreOutOfReachAtStart_StopsTheProcess_InOneLine()
    {
        // Nothing listens on a port just freed.
        var port = PortalCommand.FreePort();

        var run = await PortalCommand.RunAsync(Path.Combine(Path.GetTempPath(), "unused.db"),
            [new("Database__Provider", "Postgres"), new("ConnectionStrings__NewsPortal", $"Host=127.0.0.1;Port={port};Username=news;Password=news;Timeout=2")], "--urls", "http://127.0.0.1:0");

        var said = run.Output + run.Errors;
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("NewsPortal cannot start: the store is out of reach or held by another writer", said);
        Assert.DoesNotContain("   at ", said);
    }

    [Fact]
    public async Task AnAddressAnotherProgramListensOn_StopsTheProcess_InOneLineNamingIt()
    {
        using var other = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        other.Start();
        var address = $"http://127.0.0.1:{((System.Net.IPEndPoint)other.LocalEndpoint).Port}";
        using var folder = new TempFolder();

        var run = await PortalCommand.RunAsync(Path.Combine(folder.Path, "news.db"), [new("Portal__PublicBaseUrl", "http://127.0.0.1")], "--urls", address);

        var said = run.Output + run.Errors;
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"NewsPortal cannot start: it cannot listen where it was told to (Failed to bind to address {address}: address already in use.); "
            + "stop the program that holds the address, or give the site another with --urls or ASPNETCORE_URLS", said);
        // Once, and without the stack traces of the host and of the background services it stopped.
        Assert.Single(said.Split('\n'), line => line.Contains("address already in use", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("   at ", said);
        Assert.DoesNotContain("the store is out of reach", said);
    }

    [SqliteFact]
    public async Task ASqliteStoreHeldByAnotherWriterAtStart_StopsTheCommand_InOneLine()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "news.db");
        // A command that opens the store makes it (help does not open it).
        Assert.Equal(0, (await PortalCommand.RunAsync(path, "export", "--format", "jsonl", "--out", Path.Combine(folder.Path, "made"))).ExitCode);
        await using var writer = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}");
        await writer.OpenAsync();
        await using (var begin = writer.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            await begin.ExecuteNonQueryAsync();
        }

        var run = await PortalCommand.RunAsync(path, [new("ConnectionStrings__NewsPortal", $"Data Source={path};Default Timeout=1")], "export", "--format", "jsonl", "--out", Path.Combine(folder.Path, "out"));

        var said = run.Output + run.Errors;
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("NewsPortal cannot start: the store is out of reach or held by another writer (SQLite Error 5: 'database is locked'.)", said);
        Assert.DoesNotContain("   at ", said);
    }

    [SqliteTheory]
    [InlineData("random bytes")]
    [InlineData("a header alone")]
    public async Task AFileThatIsNotASqliteStore_StopsTheProcess_InOneLine_AndIsLeftAsItWas(string kind)
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "news.db");
        var bytes = kind == "random bytes" ? System.Security.Cryptography.RandomNumberGenerator.GetBytes(10_000) : "SQLite format 3\n"u8.ToArray();
        File.WriteAllBytes(path, bytes);

        var run = await PortalCommand.RunAsync(path, [new("Portal__PublicBaseUrl", "http://127.0.0.1")], "--urls", "http://127.0.0.1:0");

        var said = run.Output + run.Errors;
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("NewsPortal cannot start: the file ConnectionStrings:NewsPortal names is not a SQLite database, or is damaged (SQLite Error 26: 'file is not a database'.)", said);
        Assert.DoesNotContain("   at ", said);
        Assert.Equal(bytes, File.ReadAllBytes(path));
    }

    [SqliteFact]
    public async Task ASqliteStoreWhereNoFileCanBeMade_StopsTheProcess_InOneLineNamingTheSetting()
    {
        using var folder = new TempFolder();
        var notAFolder = Path.Combine(folder.Path, "news.txt");
        File.WriteAllText(notAFolder, "a file, not a folder");
        var path = Path.Combine(notAFolder, "store", "news.db");

        var run = await PortalCommand.RunAsync(path, [new("Portal__PublicBaseUrl", "http://127.0.0.1")], "--urls", "http://127.0.0.1:0");

        var said = run.Output + run.Errors;
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"NewsPortal cannot start: ConnectionStrings:NewsPortal names {path}, which cannot be created there (", said);
        Assert.DoesNotContain("   at ", said);
    }

    [PostgresTheory]
    [InlineData("wrong password", "PostgreSQL refused the account ConnectionStrings:NewsPortal names (password authentication failed for user")]
    [InlineData("no such database", "PostgreSQL has no such database (database \"np_missing\" does not exist): create it owned by the site's role")]
    [InlineData("not the owner's rights", "the role ConnectionStrings:NewsPortal names may not set up the store (permission denied for schema public): it must own its database")]
    public async Task APostgresStoreThatRefusesTheSite_StopsTheProcess_InOneLineSayingWhatToFix(string kind, string reason)
    {
        using var folder = new TempFolder();
        using var store = new TestStore(folder.Path, migrated: false);
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(store.ConnectionString);
        switch (kind)
        {
            case "wrong password":
                connection.Password = "not-the-password";
                break;
            case "no such database":
                connection.Database = "np_missing";
                break;
            default:
                // A superuser is refused nothing; CI's role, as the README asks, may only create databases.
                if (store.Scalar("SELECT CASE WHEN rolsuper THEN 1 ELSE 0 END FROM pg_roles WHERE rolname = current_user") == 1)
                {
                    return;
                }

                // As in a database the role does not own, on PostgreSQL 15 and later.
                store.Scalar("REVOKE CREATE ON SCHEMA public FROM pg_database_owner; SELECT 1");
                break;
        }

        var run = await PortalCommand.RunAsync(Path.Combine(folder.Path, "unused.db"),
            [new("Database__Provider", "Postgres"), new("ConnectionStrings__NewsPortal", connection.ToString()), new("Portal__PublicBaseUrl", "http://127.0.0.1")],
            "--urls", "http://127.0.0.1:0");

        var said = run.Output + run.Errors;
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("NewsPortal cannot start: " + reason, said);
        Assert.DoesNotContain("   at ", said);
        Assert.DoesNotContain("not-the-password", said);
    }

    private static async Task WaitUntilListeningAsync(int port)
    {
        for (var tries = 0; ; tries++)
        {
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
                return;
            }
            catch (System.Net.Sockets.SocketException) when (tries < 200)
            {
                await Task.Delay(50);
            }
        }
    }

    [RedisFact]
    public async Task ARedisThatRefusesThePassword_StopsTheProcess_InOneLineNamingTheSetting()
    {
        // A Redis of the test's own that asks for a password (the run's shared one asks for none).
        var port = PortalCommand.FreePort();
        var server = new System.Diagnostics.ProcessStartInfo("redis-server",
            ["--port", $"{port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--requirepass", "the-right-one"])
        {
            RedirectStandardOutput = true,
        };
        using var redis = System.Diagnostics.Process.Start(server)!;
        try
        {
            // Listening before the node connects: a node that finds no Redis at all starts anyway, and serves.
            await WaitUntilListeningAsync(port);
            using var folder = new TempFolder();
            var run = await PortalCommand.RunAsync(Path.Combine(folder.Path, "news.db"),
                [new("ConnectionStrings__Redis", $"127.0.0.1:{port},password=not-the-password"), new("Portal__PublicBaseUrl", "http://127.0.0.1")],
                "--urls", "http://127.0.0.1:0");

            var said = run.Output + run.Errors;
            Assert.Equal(1, run.ExitCode);
            Assert.Contains("NewsPortal cannot start: Redis refused the credentials in ConnectionStrings:Redis (", said);
            Assert.DoesNotContain("   at ", said);
            Assert.DoesNotContain("not-the-password", said);
        }
        finally
        {
            redis.Kill();
        }
    }

    [SqliteFact]
    public async Task ASqliteStoreNamedByItsPathAlone_IsThatFile()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "news.db");

        var run = await PortalCommand.RunAsync(path, [new("ConnectionStrings__NewsPortal", path)], "export", "--format", "jsonl", "--out", Path.Combine(folder.Path, "out"));

        Assert.True(run.ExitCode == 0, run.Output + run.Errors);
        Assert.True(new FileInfo(path).Length > 0, "the store was not made at the path given");
    }
}
