using System.Diagnostics;

namespace NewsPortal.Tests.Infrastructure;

/// <summary>Runs the real NewsPortal.Web binary as a command (import, export) against a database file of the test's own.</summary>
public static class PortalCommand
{
    public sealed record Result(int ExitCode, string Output, string Errors);

    public static Process Start(string databasePath, params string[] args) => Start(databasePath, [], args);

    /// <summary>Starts the binary with <paramref name="settings"/> in its environment (configuration keys with <c>__</c>), as an operator would.</summary>
    public static Process Start(string databasePath, IEnumerable<KeyValuePair<string, string>> settings, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "NewsPortal.Web.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ConnectionStrings__NewsPortal"] = $"Data Source={databasePath}";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        return Process.Start(start)!;
    }

    public static Task<Result> RunAsync(string databasePath, params string[] args) => RunAsync(databasePath, [], args);

    public static async Task<Result> RunAsync(string databasePath, IEnumerable<KeyValuePair<string, string>> settings, params string[] args)
    {
        using var process = Start(databasePath, settings, args);
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await output, await errors);
    }
}
