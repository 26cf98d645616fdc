using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using NewsPortal.Web.Accounts;
using NewsPortal.Web.Api;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Audit;
using NewsPortal.Web.Caching;
using NewsPortal.Web.Categories;
using NewsPortal.Web.Shared;
using NewsPortal.Web.Sources;
using NewsPortal.Web.Webhooks;

namespace NewsPortal.Web.Data;

/// <summary>The portal's one store, accounts included.</summary>
/// <remarks>
/// Add a migration after changing the model:
/// <c>dotnet ef migrations add NAME --project src/NewsPortal.Web --output-dir Data/Migrations</c>.
/// Migrations are applied at start-up by <see cref="DatabaseInitializer"/>.
/// </remarks>
public sealed class NewsDbContext(DbContextOptions<NewsDbContext> options) : IdentityDbContext<PortalUser>(options)
{
    public DbSet<Article> Articles => Set<Article>();
    public DbSet<ArticleRevision> ArticleRevisions => Set<ArticleRevision>();
    public DbSet<Category> Categories => Set<Category>();
    public DbSet<CategoryAlias> CategoryAliases => Set<CategoryAlias>();
    public DbSet<Source> Sources => Set<Source>();
    public DbSet<SourceAlias> SourceAliases => Set<SourceAlias>();
    public DbSet<ListingCount> ListingCounts => Set<ListingCount>();
    public DbSet<CacheInvalidation> CacheInvalidations => Set<CacheInvalidation>();
    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<WebhookSubscription> WebhookSubscriptions => Set<WebhookSubscription>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        // Category and source aliases share a shape, not a table.
        builder.Ignore<NameAlias>();
        builder.ApplyConfigurationsFromAssembly(typeof(NewsDbContext).Assembly);
    }
}
