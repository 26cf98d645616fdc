using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Web.Data;
using NewsPortal.Web.Import;

namespace NewsPortal.Tests.Infrastructure;

/// <summary>
/// The real app on the test host, with its own SQLite database file, seeded on start as a fresh install would be.
/// Each test class that takes it as a class fixture gets a database of its own.
/// </summary>
public class NewsPortalFactory : WebApplicationFactory<Program>
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "newsportal-tests", Guid.NewGuid().ToString("N"));

    public NewsPortalFactory()
        : this(migrated: true)
    {
    }

    /// <param name="migrated">Whether the store starts migrated (see <see cref="TestStore"/>); tests of migrating at start-up say no.</param>
    protected NewsPortalFactory(bool migrated)
    {
        Store = new TestStore(_directory, migrated);
    }

    /// <summary>The store this app runs on: SQLite, or PostgreSQL on a PostgreSQL run.</summary>
    public TestStore Store { get; }

    /// <summary>The SQLite file (SQLite runs only).</summary>
    public string DatabasePath => Store.SqlitePath;

    protected virtual bool SeedOnStartup => true;

    /// <summary>
    /// Whether requests through the test server keep the test's execution context, so what a test holds in an
    /// AsyncLocal (a recording of the SQL sent, a query held back) follows its requests into the app.
    /// </summary>
    protected virtual bool KeepsTestExecutionContext => false;

    protected override Microsoft.Extensions.Hosting.IHost CreateHost(Microsoft.Extensions.Hosting.IHostBuilder builder)
    {
        var host = base.CreateHost(builder);
        ((TestServer)host.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()).PreserveExecutionContext = KeepsTestExecutionContext;
        return host;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in Store.Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Portal:SeedOnStartup", SeedOnStartup ? "true" : "false");
        // The same hashing with fewer rounds: the suite hashes and checks about 750 passwords, at 80 ms of CPU each with
        // the site's 100,000 (an eighth of the suite's CPU). The site's own count is checked by UsersCommandTests.
        builder.ConfigureTestServices(services => services
            .Configure<PasswordHasherOptions>(o => o.IterationCount = 1_000)
            .ConfigureDbContext<NewsDbContext>(WarningsAsErrors)
            .ConfigureDbContext<PostgresNewsDbContext>(WarningsAsErrors));
    }

    /// <summary>
    /// EF Core's warnings fail the test that causes them: each names a query that may answer differently from run to
    /// run (a limit with no order) or a mistake in the model, and in the site they are one line in a busy log.
    /// </summary>
    private static void WarningsAsErrors(Microsoft.EntityFrameworkCore.DbContextOptionsBuilder options)
        => options.ConfigureWarnings(warnings => warnings.Default(Microsoft.EntityFrameworkCore.WarningBehavior.Throw));

    /// <summary>A client that does not follow redirects, so tests can see them.</summary>
    public HttpClient CreatePlainClient() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>Adds an article through the same import path the app uses, and returns its slug.</summary>
    public async Task<string> AddArticleAsync(ArticleBuilder article)
    {
        await using var scope = Services.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<ImportService>().ImportDocumentsAsync("test", [article.Build()]);
        Assert.True(report.Problems.Count == 0, report.ToString());
        return Assert.Single(report.Slugs);
    }

    /// <summary>Runs the real import pipeline on files and folders, as the CLI does.</summary>
    public async Task<ImportReport> ImportAsync(params string[] paths) => await ImportAsync(dryRun: false, paths);

    public async Task<ImportReport> ImportAsync(bool dryRun, params string[] paths)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ImportService>().ImportPathsAsync(paths, dryRun);
    }

    /// <summary>Imports a moved store's folder with the passphrase its secrets were sealed with.</summary>
    public async Task<ImportReport> ImportAsync(MoveSeal seal, params string[] paths)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ImportService>().ImportPathsAsync(paths, dryRun: false, seal: seal);
    }

    public async Task<T> WithDbAsync<T>(Func<NewsDbContext, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<NewsDbContext>());
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Store.Dispose();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open is left for the OS to clean from the temp folder.
            }
        }
    }
}

/// <summary>The app started on an empty store with seeding turned off.</summary>
public class EmptyNewsPortalFactory : NewsPortalFactory
{
    protected override bool SeedOnStartup => false;
}

/// <summary>The app on an empty store, for tests of what a first start does: migrating, seeding, creating the admin.</summary>
public sealed class FreshStoreFactory() : NewsPortalFactory(migrated: false);
