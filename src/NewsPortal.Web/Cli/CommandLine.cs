using System.Runtime.InteropServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsPortal.Web.Accounts;
using NewsPortal.Web.Data;
using NewsPortal.Web.Import;

namespace NewsPortal.Web.Cli;

/// <summary>
/// The portal's commands, run with the same configuration and store as the site:
/// <c>import PATH... [--dry-run]</c>, <c>export --format snippets|jsonl --out DIR [--everything]</c>,
/// <c>users add --email EMAIL --role Admin|Editor [--password PASSWORD]</c>, <c>users two-step-off --email EMAIL</c>,
/// <c>backup --out FILE</c> and <c>restore FILE</c>.
/// </summary>
public static class CommandLine
{
    public const int Ok = 0;
    public const int Rejected = 1;
    public const int Usage = 2;

    private const string UsageText = """
        Usage:
          NewsPortal.Web import PATH... [--dry-run]       import snippet (.txt) and JSON Lines (.jsonl) files and folders
          NewsPortal.Web export --format snippets|jsonl --out DIR [--everything]
                                                        --everything (jsonl): also the accounts, API tokens, webhooks,
                                                        revisions and audit log, to move to another store; their
                                                        secrets sealed with a passphrase (NEWSPORTAL_MOVE_PASSPHRASE,
                                                        else asked for), which the import asks for again
          NewsPortal.Web users add --email EMAIL --role Admin|Editor [--password PASSWORD]
                                                        (without --password: NEWSPORTAL_PASSWORD, else asked for)
          NewsPortal.Web users two-step-off --email EMAIL turn off an account's two-step sign-in (its phone and
                                                        recovery codes lost, and no other admin to do it)
          NewsPortal.Web backup --out FILE                a consistent copy of the store, taken while the site runs
          NewsPortal.Web restore FILE                     replace the store with a backup (stop the site first)
        """;

    private static readonly string[] Commands = ["import", "export", "users", "backup", "restore", "help", "--help", "-h"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Commands.Contains(args[0], StringComparer.OrdinalIgnoreCase);

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, CancellationToken cancellationToken = default)
    {
        try
        {
            return await RunCommandAsync(services, args, output, cancellationToken);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or DbUpdateException or IOException or UnauthorizedAccessException)
        {
            // The store or the disk gave out part-way (a full disk, a server gone): said in one line. What an import
            // committed before is in the store, whole files only; the rest was rolled back.
            var full = StoreDialect.IsOutOfSpace(ex);
            await output.WriteLineAsync($"{args[0]} stopped: {(full ? "the store's disk is full" : (ex.InnerException ?? ex).Message)}."
                + (args[0].Equals("import", StringComparison.OrdinalIgnoreCase) ? " Files committed before this are in the store, each whole; import the rest again." : ""));
            return Rejected;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Backups and exports are named only once whole, so a stopped one leaves nothing behind.
            await output.WriteLineAsync($"{args[0]} stopped before the end; nothing of it was kept.");
            return Rejected;
        }
    }

    /// <summary>
    /// A token cancelled by the first Ctrl-C or SIGTERM, so that a command stops between its steps and says what it did
    /// (an import: what it committed); a second signal ends the process at once, as usual.
    /// </summary>
    public static CancellationToken StoppedBySignal()
    {
        var stop = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            if (!stop.IsCancellationRequested)
            {
                context.Cancel = true;
                stop.Cancel();
            }
        }

        // Kept for the process's life: a command runs once, then the process exits.
        _signals = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop)];
        return stop.Token;
    }

    private static PosixSignalRegistration[] _signals = [];

    private static async Task<int> RunCommandAsync(IServiceProvider services, string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        switch (args[0].ToLowerInvariant())
        {
            case "import":
                LimitHeap(scope.ServiceProvider.GetRequiredService<IOptions<ImportOptions>>().Value.CommandHeapMegabytes,
                    scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CommandLine)));
                return await ImportAsync(scope.ServiceProvider.GetRequiredService<ImportService>(), args[1..], output, cancellationToken);
            case "export":
                return await ExportAsync(scope.ServiceProvider.GetRequiredService<ExportService>(), args[1..], output, cancellationToken);
            case "users" when args[1].Equals("two-step-off", StringComparison.OrdinalIgnoreCase):
                return await TwoStepOffAsync(scope.ServiceProvider, OptionValue(args, "--email")!, output, cancellationToken);
            case "users":
                return await UsersAsync(scope.ServiceProvider.GetRequiredService<UserService>(), args[1..], output, cancellationToken);
            default:
                // backup or restore: help was answered before the host was built (see Answer).
                return await BackupOrRestoreAsync(scope.ServiceProvider.GetRequiredService<NewsDbContext>(), args, output, cancellationToken);
        }
    }

    /// <summary>Sets this process's managed heap limit (the command's process only: the site never calls it).</summary>
    private static void LimitHeap(int megabytes, ILogger logger)
    {
        if (megabytes <= 0)
        {
            return;
        }

        // Start-up's garbage (the model built, the store migrated) is collected and its space given back first:
        // otherwise it counted against the limit, and on PostgreSQL a 40 MB import could run out at its first batch.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        AppContext.SetData("GCHeapHardLimit", (ulong)megabytes * 1024 * 1024);
        try
        {
            GC.RefreshMemoryLimit();
            logger.LogInformation("Import heap limited to {Megabytes} MB (Import:CommandHeapMegabytes)", megabytes);
        }
        catch (InvalidOperationException ex)
        {
            // More is in use already than the limit allows: run without one rather than not at all.
            AppContext.SetData("GCHeapHardLimit", null);
            logger.LogWarning(ex, "Could not limit the import heap to {Megabytes} MB", megabytes);
        }
    }

    private static async Task<int> ImportAsync(ImportService importer, string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var dryRun = args.Contains("--dry-run", StringComparer.Ordinal);
        var paths = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();

        // Only a moved store's folder holds sealed secrets; without the passphrase its other lines are still kept.
        var moved = !dryRun && paths.Any(p => File.Exists(Path.Combine(p, StoreMove.AccountsFile)) || File.Exists(Path.Combine(p, StoreMove.WebhooksFile)));
        var passphrase = moved ? await ReadPassphraseAsync("Passphrase the store was exported with (Enter if none): ", output, cancellationToken) : null;
        var seal = string.IsNullOrEmpty(passphrase) ? null : new MoveSeal(passphrase);
        var report = await importer.ImportPathsAsync(paths, dryRun, progress: null, seal, cancellationToken);
        await output.WriteLineAsync(report.ToString());

        // A moved store's line not kept (an account, a webhook) is something lost to the script that ran the move too.
        return report.HasRejections || report.Interrupted || report.Problems.Count > 0 ? Rejected : Ok;
    }

    private static async Task<int> ExportAsync(ExportService exporter, string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var directory = OptionValue(args, "--out")!;
        var everything = args.Contains("--everything", StringComparer.Ordinal);
        MoveSeal? seal = null;
        if (everything)
        {
            var passphrase = await ReadPassphraseAsync("Passphrase to seal the move's secrets with: ", output, cancellationToken);
            if (passphrase is not { Length: >= MoveSeal.MinPassphraseLength })
            {
                await output.WriteLineAsync($"export --everything seals the accounts' two-step keys and the webhooks' secrets with a passphrase of at least {MoveSeal.MinPassphraseLength} characters, "
                    + $"given in {MoveSeal.PassphraseVariable} or typed when asked; the import of the folder asks for it again. Nothing was exported.");
                return Rejected;
            }

            seal = new MoveSeal(passphrase);
        }

        int count;
        try
        {
            count = await exporter.ExportAsync(ExportFormat(args)!.Value, directory, seal, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await output.WriteLineAsync($"Could not write to {Path.GetFullPath(directory)}: {ex.Message}");
            return Rejected;
        }

        await output.WriteLineAsync($"Exported {count} articles to {Path.GetFullPath(directory)}");
        if (everything)
        {
            await output.WriteLineAsync($"With the accounts, API tokens, webhooks, revisions and audit log: {string.Join(", ", StoreMove.Files.Skip(1))} hold password hashes and sealed secrets, readable by this user only; keep the folder private, and the passphrase apart from it.");
        }
        return Ok;
    }

    private static async Task<int> UsersAsync(UserService users, string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var email = OptionValue(args, "--email")!;
        var role = OptionValue(args, "--role")!;
        // The password never has a default: it is given, taken from the environment, or read from standard input.
        // A password may begin with dashes: whatever follows --password is it.
        var given = Array.IndexOf(args, "--password");
        var password = (given >= 0 && given + 1 < args.Length ? args[given + 1] : null)
            ?? Environment.GetEnvironmentVariable("NEWSPORTAL_PASSWORD")
            ?? await ReadPasswordAsync("Password: ", output, cancellationToken);
        if (string.IsNullOrEmpty(password))
        {
            await output.WriteLineAsync("Give a password with --password, NEWSPORTAL_PASSWORD or on standard input.");
            return Usage;
        }

        var canonicalRole = Roles.All.FirstOrDefault(r => string.Equals(r, role, StringComparison.OrdinalIgnoreCase)) ?? role;
        return await ReportAsync(await users.AddAsync(email, password, canonicalRole, "command line"), $"Added {canonicalRole} {email}.", output);
    }

    private static async Task<int> TwoStepOffAsync(IServiceProvider services, string email, TextWriter output, CancellationToken cancellationToken)
    {
        var problems = await services.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<PortalUser>>().FindByEmailAsync(email.Trim()) is { } user
            ? await services.GetRequiredService<TwoStepSignIn>().TurnOffAsync(user.Id, "command line", cancellationToken)
            : [$"There is no account for '{email.Trim()}'."];
        return await ReportAsync(problems, $"Two-step sign-in is off for {email.Trim()}: the password alone signs in, and its sessions have ended.", output);
    }

    /// <summary>Writes a change's problems and exits <see cref="Rejected"/>, or writes what was done and exits <see cref="Ok"/>.</summary>
    private static async Task<int> ReportAsync(IReadOnlyList<string> problems, string done, TextWriter output)
    {
        foreach (var problem in problems)
        {
            await output.WriteLineAsync(problem);
        }

        if (problems.Count > 0)
        {
            return Rejected;
        }

        await output.WriteLineAsync(done);
        return Ok;
    }

    /// <summary>
    /// A line of standard input. Typed at a terminal, it is asked for and not shown as it is typed, so the password is
    /// neither on the screen nor in the terminal's scrollback; Ctrl-C stops the command there.
    /// </summary>
    private static async Task<string?> ReadPasswordAsync(string prompt, TextWriter output, CancellationToken cancellationToken)
    {
        if (Console.IsInputRedirected)
        {
            return await Console.In.ReadLineAsync(cancellationToken);
        }

        // The first look at the keyboard turns the terminal's echo off (and it stays off until the command ends). Taken
        // before the prompt is shown, so a key typed the moment the prompt appears is not echoed by the terminal itself.
        _ = Console.KeyAvailable;
        await output.WriteAsync(prompt);
        await output.FlushAsync(cancellationToken);
        var typed = new System.Text.StringBuilder();
        while (true)
        {
            // Polled, because a blocked ReadKey would not see the first Ctrl-C, which StoppedBySignal takes.
            while (!Console.KeyAvailable)
            {
                await Task.Delay(20, cancellationToken);
            }

            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                await output.WriteLineAsync();
                return typed.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                typed.Length = Math.Max(0, typed.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                typed.Append(key.KeyChar);
            }
        }
    }

    /// <summary>A store move's passphrase: from the environment, else asked for as a password is.</summary>
    private static async Task<string?> ReadPassphraseAsync(string prompt, TextWriter output, CancellationToken cancellationToken)
        => Environment.GetEnvironmentVariable(MoveSeal.PassphraseVariable) is { Length: > 0 } given ? given : await ReadPasswordAsync(prompt, output, cancellationToken);

    private static async Task<int> BackupOrRestoreAsync(NewsDbContext db, string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var backup = IsBackup(args);
        var file = BackupFile(args)!;
        if (!db.Database.IsSqlite())
        {
            // PostgreSQL has its own tools, which back up a live database consistently and restore it whole.
            await output.WriteLineAsync($"{args[0]} copies a SQLite store; on PostgreSQL use pg_dump and pg_restore (see the README's production layout).");
            return Usage;
        }

        try
        {
            var stories = backup ? await StoreBackup.BackupAsync(db, file, cancellationToken) : await StoreBackup.RestoreAsync(db, file, cancellationToken);
            await output.WriteLineAsync(backup ? $"Backed up {stories} stories to {Path.GetFullPath(file)}" : $"Restored {stories} stories from {Path.GetFullPath(file)}");
            return Ok;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await output.WriteLineAsync(ex.Message);
            return Rejected;
        }
    }

    /// <summary>The value after an option, unless what follows is another option (<c>--out --everything</c> names no folder).</summary>
    private static string? OptionValue(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && !args[index + 1].StartsWith("--", StringComparison.Ordinal) ? args[index + 1] : null;
    }

    /// <summary>The first option the command does not take (a misspelt one would otherwise be ignored), or null.</summary>
    private static string? UnknownOption(string[] args, params string[] taken)
        => args.FirstOrDefault(a => a.StartsWith("--", StringComparison.Ordinal) && !taken.Contains(a, StringComparer.Ordinal));

    /// <summary>
    /// Answers what needs no store: a request for the usage (exit 0), a misspelt command or a command's arguments it
    /// cannot run with (the problem and the usage, exit 2). Null when the arguments start the site or a runnable command.
    /// Said before the host is built, so it works where the store cannot be reached, and a typo never migrates a store.
    /// </summary>
    public static int? Answer(string[] args, TextWriter output)
    {
        if (args.Length > 0 && args[0].ToLowerInvariant() is "help" or "--help" or "-h")
        {
            output.WriteLine(UsageText);
            return Ok;
        }

        if (Problem(args) is not { } problem)
        {
            return null;
        }

        output.WriteLine(problem);
        output.WriteLine(UsageText);
        return Usage;
    }

    /// <summary>What is wrong with the arguments, or null.</summary>
    private static string? Problem(string[] args)
    {
        if (!IsCommand(args))
        {
            // A first word that is neither a command nor a setting for the site (--urls …, key=value): a misspelt
            // command, answered instead of starting the site.
            var misspelt = args.Length > 0 && !args[0].StartsWith('-') && !args[0].StartsWith('/') && !args[0].Contains('=', StringComparison.Ordinal);
            return misspelt ? $"Unknown command '{args[0]}'." : null;
        }

        var rest = args[1..];
        switch (args[0].ToLowerInvariant())
        {
            case "import":
                var unknown = rest.FirstOrDefault(a => a.StartsWith("--", StringComparison.Ordinal) && a != "--dry-run");
                return unknown is not null ? $"Unknown option {unknown}."
                    : rest.All(a => a.StartsWith("--", StringComparison.Ordinal)) ? "Name at least one file or folder to import."
                    : null;
            case "export":
                var format = ExportFormat(rest);
                return UnknownOption(rest, "--format", "--out", "--everything") is { } option ? $"export does not take {option}."
                    : format is null ? "--format must be snippets or jsonl."
                    : string.IsNullOrWhiteSpace(OptionValue(rest, "--out")) ? "--out must name a folder."
                    : rest.Contains("--everything", StringComparer.Ordinal) && format != ImportFormat.JsonLines ? "--everything needs --format jsonl: snippet files carry public stories only."
                    : null;
            case "users":
                return rest switch
                {
                    ["add", ..] => !string.IsNullOrWhiteSpace(OptionValue(rest, "--email")) && !string.IsNullOrWhiteSpace(OptionValue(rest, "--role"))
                        ? null : "users add needs --email and --role.",
                    [var two, ..] when two.Equals("two-step-off", StringComparison.OrdinalIgnoreCase) => UnknownOption(rest[1..], "--email") is { } notTaken
                        ? $"users two-step-off does not take {notTaken}."
                        : string.IsNullOrWhiteSpace(OptionValue(rest, "--email")) ? "users two-step-off needs --email." : null,
                    _ => "users takes add or two-step-off.",
                };
            case "backup" or "restore":
                var backup = IsBackup(args);
                return (backup ? UnknownOption(args, "--out") : UnknownOption(args)) is { } taken ? $"{args[0]} does not take {taken}."
                    : string.IsNullOrWhiteSpace(BackupFile(args)) ? (backup ? "backup needs --out FILE." : "restore needs the backup FILE.")
                    : null;
            default:
                return null;
        }
    }

    private static ImportFormat? ExportFormat(string[] args) => OptionValue(args, "--format")?.ToLowerInvariant() switch
    {
        "jsonl" => ImportFormat.JsonLines,
        "snippets" => ImportFormat.Snippet,
        _ => null,
    };

    private static bool IsBackup(string[] args) => args[0].Equals("backup", StringComparison.OrdinalIgnoreCase);

    private static string? BackupFile(string[] args)
        => IsBackup(args) ? OptionValue(args, "--out") : args.Skip(1).FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal));
}
