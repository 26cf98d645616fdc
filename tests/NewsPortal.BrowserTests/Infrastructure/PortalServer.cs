using System.Diagnostics;
using System.Net;
using System.Reflection;
using Npgsql;

namespace NewsPortal.BrowserTests.Infrastructure;

/// <summary>
/// The built NewsPortal.Web.dll started as its own process on Kestrel at 127.0.0.1 and a free port, with a fresh
/// store (seeded as a new install is) and an admin from configuration. The browser talks to it over a real socket, as
/// it would to a deployed site. The store is a SQLite file, or with <c>NEWSPORTAL_TEST_PROVIDER=Postgres</c> a
/// database of its own on the server <c>NEWSPORTAL_TEST_POSTGRES</c> names (with the run's Redis,
/// <c>NEWSPORTAL_TEST_REDIS</c>, when set), as the integration tests' stores are.
/// </summary>
public sealed class PortalServer : IAsyncDisposable
{
    public const string AdminEmail = "browser-admin@example.org";
    public const string AdminPassword = "browser-tests-passphrase";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string _directory;
    private readonly string? _database;
    private readonly Queue<string> _output = new();

    private PortalServer(Process process, string directory, string? database, Uri baseAddress)
    {
        _process = process;
        _directory = directory;
        _database = database;
        BaseAddress = baseAddress;
    }

    private static bool IsPostgres => string.Equals(Environment.GetEnvironmentVariable("NEWSPORTAL_TEST_PROVIDER"), "Postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why a presentation test is skipped on this run, or null to run it (see <see cref="PresentationFactAttribute"/>).</summary>
    internal static string? PresentationSkip => IsPostgres ? "Presentation: checked on the SQLite pass; the pages are the same on PostgreSQL" : null;

    private static string PostgresServer => Environment.GetEnvironmentVariable("NEWSPORTAL_TEST_POSTGRES") is { Length: > 0 } server
        ? server
        : throw new InvalidOperationException("NEWSPORTAL_TEST_PROVIDER=Postgres needs NEWSPORTAL_TEST_POSTGRES, a connection string for a role that may create databases.");

    /// <summary>The settings that point the app (and its command line) at this server's store, as environment variables.</summary>
    private static Dictionary<string, string> StoreSettings(string directory, string? database)
    {
        if (database is null)
        {
            return new() { ["ConnectionStrings__NewsPortal"] = $"Data Source={Path.Combine(directory, "newsportal.db")}" };
        }

        var settings = new Dictionary<string, string>
        {
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__NewsPortal"] = new NpgsqlConnectionStringBuilder(PostgresServer) { Database = database }.ToString(),
        };
        if (Environment.GetEnvironmentVariable("NEWSPORTAL_TEST_REDIS") is { Length: > 0 } redis)
        {
            settings["ConnectionStrings__Redis"] = redis;
            settings["Redis__Prefix"] = $"{database}:";
        }

        return settings;
    }

    private static async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(PostgresServer) { Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public Uri BaseAddress { get; }

    /// <summary>The repository root, found from the test assembly's folder.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static async Task<PortalServer> StartAsync()
    {
        // The web app built in the same configuration as these tests (the project reference builds it first).
        var configuration = typeof(PortalServer).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var appDirectory = Path.Combine(RepositoryRoot, "src", "NewsPortal.Web", "bin", configuration, "net10.0");
        var appDll = Path.Combine(appDirectory, "NewsPortal.Web.dll");
        if (!File.Exists(appDll))
        {
            throw new InvalidOperationException($"The web app is not built at {appDll}; build the solution in {configuration} first.");
        }

        var directory = Path.Combine(Path.GetTempPath(), "newsportal-browser-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var database = IsPostgres ? "np_browser_" + Guid.NewGuid().ToString("N") : null;
        if (database is not null)
        {
            await ExecuteOnServerAsync($"CREATE DATABASE \"{database}\"");
        }

        var store = StoreSettings(directory, database);
        var baseAddress = new Uri($"http://127.0.0.1:{FreePort()}");

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = appDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(appDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseAddress.ToString().TrimEnd('/'));
        // Development serves the static web assets straight from wwwroot-assets/, as `dotnet run` does.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        foreach (var (name, value) in store)
        {
            start.Environment[name] = value;
        }

        start.Environment["Admin__Email"] = AdminEmail;
        start.Environment["Admin__Password"] = AdminPassword;
        start.Environment["Security__SignInAttemptsPerMinute"] = "10000";
        start.Environment["Serilog__MinimumLevel__Default"] = "Warning";

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var server = new PortalServer(process, directory, database, baseAddress);
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await server.WaitUntilAnsweringAsync();
            await server.ImportDevelopingStoryAsync(appDirectory, store);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>
    /// Three earlier reports of the talks as one developing story, through the command line while the site runs, as a
    /// newsroom's feed would: the front page then has its rail, and a thread page exists. They are older than the seed,
    /// so the seeded report still leads.
    /// </summary>
    private async Task ImportDevelopingStoryAsync(string appDirectory, Dictionary<string, string> store)
    {
        var folder = Path.Combine(_directory, "developing");
        Directory.CreateDirectory(folder);
        for (var day = 1; day <= 3; day++)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, $"talks-{day}.txt"), $"""
                Delegations prepare for Istanbul talks, day {day}

                Published on May {day + 10}, 2025

                Category: ,English,International

                Topics: Russian invasion of Ukraine > {Seeded.ThreadName}

                Sources Anadolu Agency

                ISTANBUL – Delegations arrived on day {day} to prepare the talks at the Dolmabahce Palace.
                """);
        }

        var import = new ProcessStartInfo("dotnet") { WorkingDirectory = appDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        import.ArgumentList.Add(Path.Combine(appDirectory, "NewsPortal.Web.dll"));
        import.ArgumentList.Add("import");
        import.ArgumentList.Add(folder);
        foreach (var (name, value) in store)
        {
            import.Environment[name] = value;
        }

        import.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        using var process = Process.Start(import) ?? throw new InvalidOperationException("dotnet did not start the import.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The import of the developing story failed ({process.ExitCode}): {await output}{await errors}");
        }

        // The running site drops its cached pages within a second of an import by the command line.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        // The last lines are enough to say why the app did not start.
        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > 60)
            {
                _output.Dequeue();
            }
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return string.Join(Environment.NewLine, _output);
        }
    }

    private async Task WaitUntilAnsweringAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"NewsPortal.Web exited with code {_process.ExitCode} before answering:{Environment.NewLine}{Output()}");
            }

            try
            {
                using var response = await client.GetAsync("/");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"NewsPortal.Web did not answer at {BaseAddress} within {StartTimeout.TotalSeconds} s:{Environment.NewLine}{Output()}");
    }

    private static int FreePort() => NewsPortal.Tests.Shared.FreePorts.Next();

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "NewsPortal.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No NewsPortal.sln above {AppContext.BaseDirectory}.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        if (_database is not null)
        {
            await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)");
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean from the temp folder.
        }
    }
}
