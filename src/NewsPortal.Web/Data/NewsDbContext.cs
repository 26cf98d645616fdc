using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using NewsPortal.Web.Accounts;
using NewsPortal.Web.Api;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Audit;
using NewsPortal.Web.Caching;
using NewsPortal.Web.Categories;
using NewsPortal.Web.Import;
using NewsPortal.Web.Shared;
using NewsPortal.Web.Sources;
using NewsPortal.Web.Webhooks;

namespace NewsPortal.Web.Data;

/// <summary>The portal's one store, accounts included: on SQLite as it is, on PostgreSQL as <see cref="PostgresNewsDbContext"/>.</summary>
/// <remarks>
/// Each provider has its own migrations. After changing the model, add one for each:
/// <c>dotnet ef migrations add NAME --project src/NewsPortal.Web --context NewsDbContext --output-dir Data/Migrations</c> and
/// <c>dotnet ef migrations add NAME --project src/NewsPortal.Web --context PostgresNewsDbContext --output-dir Data/Postgres/Migrations</c>.
/// Migrations are applied at start-up by <see cref="DatabaseInitializer"/>.
/// </remarks>
public class NewsDbContext : IdentityDbContext<PortalUser>
{
    public NewsDbContext(DbContextOptions<NewsDbContext> options)
        : base(options)
    {
    }

    /// <summary>For a provider's own context, whose migrations are its own.</summary>
    protected NewsDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<Article> Articles => Set<Article>();
    public DbSet<ArticleRevision> ArticleRevisions => Set<ArticleRevision>();
    public DbSet<SlugRedirect> SlugRedirects => Set<SlugRedirect>();
    public DbSet<PurgedStory> PurgedStories => Set<PurgedStory>();
    public DbSet<Category> Categories => Set<Category>();
    public DbSet<CategoryAlias> CategoryAliases => Set<CategoryAlias>();
    public DbSet<Source> Sources => Set<Source>();
    public DbSet<SourceAlias> SourceAliases => Set<SourceAlias>();
    public DbSet<Threads.StoryThread> Threads => Set<Threads.StoryThread>();
    public DbSet<ThreadAlias> ThreadAliases => Set<ThreadAlias>();
    public DbSet<ListingCount> ListingCounts => Set<ListingCount>();
    public DbSet<CacheInvalidation> CacheInvalidations => Set<CacheInvalidation>();
    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<BrowserSession> BrowserSessions => Set<BrowserSession>();
    public DbSet<ForgottenDevice> ForgottenDevices => Set<ForgottenDevice>();
    public DbSet<WebhookSubscription> WebhookSubscriptions => Set<WebhookSubscription>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<ImportUploadChunk> ImportUploadChunks => Set<ImportUploadChunk>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        // Category and source aliases share a shape, not a table.
        builder.Ignore<NameAlias>();
        builder.ApplyConfigurationsFromAssembly(typeof(NewsDbContext).Assembly);
    }
}

/// <summary>
/// Lets <c>dotnet ef</c> build the SQLite model without starting the site. Without it, the tools would take the
/// PostgreSQL context's factory for this one too (that context derives from it) and write PostgreSQL's migrations here.
/// </summary>
public sealed class NewsDbContextFactory : IDesignTimeDbContextFactory<NewsDbContext>
{
    public NewsDbContext CreateDbContext(string[] args)
        => new(new DbContextOptionsBuilder<NewsDbContext>().UseSqlite("Data Source=newsportal-design.db").Options);
}
