using Microsoft.EntityFrameworkCore;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Categories;
using NewsPortal.Web.Cli;
using NewsPortal.Web.Data;
using NewsPortal.Web.Import;
using NewsPortal.Web.Shared;
using NewsPortal.Web.Sources;
using Serilog;

// A console logger for start-up; replaced by the configured one once the host is built.
Log.Logger = new LoggerConfiguration().WriteTo.Console().CreateBootstrapLogger();

try
{
    // "import" and "export" run as commands against the same configuration and store instead of starting the site.
    var isCommand = CommandLine.IsCommand(args);
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = isCommand ? [] : args,
        ContentRootPath = HostFolders.ContentRoot(args),
    });
    builder.WebHost.UseStaticWebAssets();

    // Structured logs to the console, configured from the "Serilog" section.
    builder.Services.AddSerilog((services, logger) => logger
        .ReadFrom.Configuration(builder.Configuration)
        .ReadFrom.Services(services)
        .Enrich.FromLogContext()
        .WriteTo.Console(), preserveStaticLogger: true);

    // Settings, with their defaults in appsettings.json.
    builder.Services.AddOptions<PortalOptions>().BindConfiguration(PortalOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
    builder.Services.AddOptions<ImportOptions>().BindConfiguration(ImportOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

    // The store: SQLite by default, in App_Data/ under the content root unless configured otherwise.
    var connectionString = DatabaseInitializer.PrepareSqliteConnectionString(
        builder.Configuration.GetConnectionString("NewsPortal") ?? "Data Source=App_Data/newsportal.db",
        builder.Environment.ContentRootPath);
    builder.Services.AddDbContext<NewsDbContext>(options => options.UseSqlite(connectionString));

    // Feature services and the pages that use them.
    builder.Services.AddSingleton(TimeProvider.System);
    builder.Services.AddSingleton<MarkdownRenderer>();
    builder.Services.AddScoped<ArticleService>();
    builder.Services.AddScoped<CategoryService>();
    builder.Services.AddScoped<SourceService>();
    builder.Services.AddScoped<ArticleInserter>();
    builder.Services.AddScoped<ArticleWriter>();
    builder.Services.AddScoped<ImportService>();
    builder.Services.AddScoped<ExportService>();
    builder.Services.AddRazorPages(options => options.RootDirectory = "/");

    var app = builder.Build();

    await DatabaseInitializer.InitializeAsync(app.Services, seed: !isCommand);
    if (isCommand)
    {
        return await CommandLine.RunAsync(app.Services, args, Console.Out);
    }

    // The request pipeline: errors become real pages, then logging, static files and pages.
    if (!app.Environment.IsDevelopment())
    {
        app.UseExceptionHandler("/error");
        app.UseHsts();
    }

    app.UseStatusCodePagesWithReExecute("/error/{0}");
    app.UseSerilogRequestLogging();
    app.UseRouting();
    app.MapStaticAssets();
    app.MapRazorPages().WithStaticAssets();

    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (ex is not HostAbortedException)
{
    Log.Fatal(ex, "NewsPortal stopped unexpectedly");
    throw;
}
finally
{
    await Log.CloseAndFlushAsync();
}

/// <summary>Entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
