using Microsoft.Extensions.Options;
using NewsPortal.Web;
using NewsPortal.Web.Accounts;
using NewsPortal.Web.Api;
using NewsPortal.Web.Caching;
using NewsPortal.Web.Cli;
using NewsPortal.Web.Data;
using NewsPortal.Web.Feeds;
using NewsPortal.Web.Search;
using NewsPortal.Web.Shared;
using NewsPortal.Web.Sitemaps;
using Serilog;

// A console logger for start-up; replaced by the configured one once the host is built.
Log.Logger = new LoggerConfiguration().WriteTo.Console().CreateBootstrapLogger();

try
{
    // "import", "export" and "users" run as commands against the same configuration and store instead of starting the site.
    var isCommand = CommandLine.IsCommand(args);
    if (CommandLine.Answer(args, Console.Out) is { } answered)
    {
        return answered;
    }

    var builder = WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = isCommand ? [] : args,
        ContentRootPath = HostFolders.ContentRoot(args),
    });
    builder.WebHost.UseStaticWebAssets();

    // Structured logs to the console, configured from the "Serilog" section.
    builder.Services.AddSerilog((services, logger) => Setting.Read("Serilog", "logging settings (levels from Verbose to Fatal; sinks and their arguments by name)",
            () => logger.ReadFrom.Configuration(builder.Configuration))
        .ReadFrom.Services(services)
        .Filter.ByExcluding(SqliteCancellation.IsEfCoreReportOfInterruption)
        .Filter.ByExcluding(StartFailure.IsHostsOwnReport)
        .Enrich.FromLogContext()
        .WriteTo.Console(), preserveStaticLogger: true);

    // Settings, the store, accounts and the features; see PortalServices.
    var store = StoreSettings.From(builder.Configuration);
    builder.Services.AddNewsPortalStore(store, builder.Configuration, builder.Environment);
    builder.Services.AddNewsPortalAccounts(builder.Configuration);
    builder.Services.AddNewsPortalFeatures();
    builder.Services.AddNewsPortalCaching(store);

    var app = builder.Build();

    // Settings checked before anything runs: one that is wrong is then said in one line, where the host, starting,
    // would first log it with a stack trace.
    app.Services.GetService<IStartupValidator>()?.Validate();

    // Migrations, the seed snippets and the admin from configuration, before anything is served.
    await DatabaseInitializer.InitializeAsync(app.Services, seed: !isCommand);
    if (isCommand)
    {
        return await CommandLine.RunAsync(app.Services, args, Console.Out, CommandLine.StoppedBySignal());
    }

    PortalOptions.EnsureSiteAddress(app.Configuration, app.Environment);
    // A key ring holding keys no configured certificate reads stops the start, before a node replaces them with a plain key.
    KeyRingCertificates.EnsureKeysReadable(app.Services, store.RedisConfiguration);

    // The request pipeline: the client's address from a known proxy, security headers on everything, errors become real pages (problem+json under /api), then
    // logging, a body's character set checked, routing, rate limits, the output cache (after due stories are published), and for what it does not
    // answer: time limits, identity, compression and validators, files and pages.
    app.UseForwardedHeaders();
    app.UseSecurityHeaders(PortalServices.SecurityHeaders());
    // A store out of reach for the moment is a 503 with Retry-After (crawlers and load balancers come back), not a 500.
    app.UseWhen(context => context.Request.Path.StartsWithSegments("/api"), api => api
        .UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = StoreHealth.StatusCodeFor })
        .UseStatusCodePages());
    app.UseWhen(context => !context.Request.Path.StartsWithSegments("/api"), site =>
    {
        if (!app.Environment.IsDevelopment())
        {
            site.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandlingPath = "/error", StatusCodeSelector = StoreHealth.StatusCodeFor });
        }

        site.UseStatusCodePagesWithReExecute("/error/{0}");
    });
    // The configured logger, not the start-up one (which ignores the "Serilog" section): a line per request otherwise
    // whatever the level, a tenth of the time of a page served from the cache.
    app.UseSerilogRequestLogging(options =>
    {
        options.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
        options.GetLevel = RequestLogLevel.For;
    });
    app.UseRequestCharsetCheck();
    app.UseRouting();
    app.UseRateLimiter();
    app.UseNewsPortalCache();
    app.UseRequestTimeouts();
    if (store.Provider == StoreProvider.Sqlite)
    {
        app.UseSqliteCancellation();
    }

    app.UseAuthentication();
    app.UseAuthorization();
    app.UseNewsPortalCompression();
    app.MapStaticAssets();
    app.MapRazorPages().WithStaticAssets();
    app.MapOpenSearch();
    app.MapSitemaps();
    app.MapFeeds();
    app.MapNewsPortalApi();
    app.MapOpenApi();
    app.MapStoreHealth();

    try
    {
        await app.StartAsync();
    }
    catch
    {
        // What started before the failure (the schedule, the cache listener) is stopped before the host is disposed:
        // disposed first, their next pass would find the services gone and report that as a fault of their own.
        // A failure to stop would hide the failure to start, which is the one to report.
        await app.StopAsync().ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await app.DisposeAsync();
        throw;
    }

    await app.WaitForShutdownAsync();
    await app.DisposeAsync();
    return 0;
}
catch (Exception ex) when (ex is not HostAbortedException)
{
    // A setting it cannot work with, or a store out of reach, is said in one line; anything else with its stack.
    if (StartFailure.Explain(ex) is { } reason)
    {
        Log.Fatal("NewsPortal cannot start: {Reason}", reason);
    }
    else
    {
        Log.Fatal(ex, "NewsPortal stopped unexpectedly");
    }

    // The test host learns of a failed start only from the exception; a process exits 1, without the runtime's own
    // second stack trace and abort (which a service manager reads as a crash).
    if (AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "Microsoft.AspNetCore.Mvc.Testing"))
    {
        throw;
    }

    return 1;
}
finally
{
    await Log.CloseAndFlushAsync();
}

/// <summary>Entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
