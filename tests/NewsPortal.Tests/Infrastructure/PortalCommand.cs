using System.Diagnostics;

namespace NewsPortal.Tests.Infrastructure;

/// <summary>Runs the real NewsPortal.Web binary as a command (import, export) against a database file of the test's own.</summary>
public static class PortalCommand
{
    public sealed record Result(int ExitCode, string Output, string Errors);

    /// <summary>
    /// Where the binary is run from, as its working directory: the published app named by <c>NEWSPORTAL_APP</c> (CI
    /// publishes it once, compiled ahead of time, which halves the CPU of each of the suite's hundred starts), else
    /// the web app's build as copied beside these tests.
    /// </summary>
    public static string AppDirectory { get; } = Environment.GetEnvironmentVariable("NEWSPORTAL_APP") is { Length: > 0 } app
        ? Path.GetFullPath(app)
        : AppContext.BaseDirectory;

    private static string AppDll => Path.Combine(AppDirectory, "NewsPortal.Web.dll");

    public static Process Start(string databasePath, params string[] args) => Start(databasePath, [], args);

    public static Process Start(TestStore store, params string[] args) => Start(store, [], args);

    /// <summary>Starts the binary on a SQLite file (for tests of SQLite's own files: backups, restores).</summary>
    public static Process Start(string databasePath, IEnumerable<KeyValuePair<string, string>> settings, params string[] args)
        => Start([new("ConnectionStrings__NewsPortal", $"Data Source={databasePath}"), .. settings], args);

    /// <summary>Starts the binary on the test's store (either provider), with <paramref name="settings"/> in its environment.</summary>
    public static Process Start(TestStore store, IEnumerable<KeyValuePair<string, string>> settings, params string[] args)
        => Start([.. EnvironmentOf(store), .. settings], args);

    /// <summary>
    /// Starts the binary on the test's store at a terminal of its own (util-linux's <c>script</c>, in every Debian), as
    /// an operator typing at a console runs it: what it writes comes back with what the terminal echoes, and what the
    /// test writes to its standard input is typed.
    /// </summary>
    public static Process StartAtTerminal(TestStore store, params string[] args)
    {
        var command = string.Join(' ', new[] { "dotnet", AppDll }.Concat(args).Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        return Start(EnvironmentOf(store), ["-qfec", command, "/dev/null"], program: "script");
    }

    /// <summary>The store's settings as environment variables (configuration keys with <c>__</c>).</summary>
    private static IEnumerable<KeyValuePair<string, string>> EnvironmentOf(TestStore store)
        => store.Settings.Select(s => KeyValuePair.Create(s.Key.Replace(":", "__", StringComparison.Ordinal), s.Value));

    /// <summary>Starts the binary with <paramref name="environment"/> (configuration keys with <c>__</c>), as an operator would.</summary>
    private static Process Start(IEnumerable<KeyValuePair<string, string>> environment, string[] args, string? program = null)
    {
        var start = new ProcessStartInfo(program ?? "dotnet")
        {
            WorkingDirectory = AppDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = program is not null,
            UseShellExecute = false,
        };
        if (program is null)
        {
            start.ArgumentList.Add(AppDll);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return Process.Start(start)!;
    }

    public static Task<Result> RunAsync(string databasePath, params string[] args) => WaitAsync(Start(databasePath, args));

    public static Task<Result> RunAsync(string databasePath, IEnumerable<KeyValuePair<string, string>> settings, params string[] args) => WaitAsync(Start(databasePath, settings, args));

    public static Task<Result> RunAsync(TestStore store, params string[] args) => WaitAsync(Start(store, args));

    public static Task<Result> RunAsync(TestStore store, IEnumerable<KeyValuePair<string, string>> settings, params string[] args) => WaitAsync(Start(store, settings, args));

    private static async Task<Result> WaitAsync(Process started)
    {
        using var process = started;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // A run that should have stopped and did not (a site that started) is not left running after the test.
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new Result(process.ExitCode, await output, await errors);
    }

    /// <summary>Starts the binary as the site on <paramref name="address"/>, each console line handed to <paramref name="output"/>.</summary>
    public static Process StartSite(string databasePath, Uri address, IEnumerable<KeyValuePair<string, string>> settings, Action<string?> output)
        => StartSite(address, output, (site, args) => Start(databasePath, [new("Portal__PublicBaseUrl", site), .. settings], args));

    /// <summary>Starts the binary as the site on the test's store (either provider), each console line handed to <paramref name="output"/>.</summary>
    public static Process StartSite(TestStore store, Uri address, IEnumerable<KeyValuePair<string, string>> settings, Action<string?> output)
        => StartSite(address, output, (site, args) => Start(store, [new("Portal__PublicBaseUrl", site), .. settings], args));

    private static Process StartSite(Uri address, Action<string?> output, Func<string, string[], Process> start)
    {
        var site = address.ToString().TrimEnd('/');
        var process = start(site, ["--urls", site]);
        process.OutputDataReceived += (_, line) => output(line.Data);
        process.ErrorDataReceived += (_, line) => output(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Sends SIGTERM, as systemd, Docker and Kubernetes stop the site.</summary>
    public static async Task TerminateAsync(Process process)
    {
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
    }

    /// <summary>Waits for a site started with <c>--urls</c> to answer its home page.</summary>
    public static async Task WaitUntilAnsweringAsync(HttpClient client, Process server)
    {
        // Two minutes: a fresh store is migrated and seeded first, which takes tens of seconds on a loaded machine.
        var until = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < until)
        {
            Assert.False(server.HasExited, "the site stopped while starting");
            try
            {
                using var response = await client.GetAsync("/");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException("the site did not answer");
    }

    /// <summary>A loopback port nothing listens on, for a site of the test's own.</summary>
    public static int FreePort() => NewsPortal.Tests.Shared.FreePorts.Next();
}
