using Microsoft.EntityFrameworkCore;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Categories;
using NewsPortal.Web.Sources;

namespace NewsPortal.Web.Data;

/// <summary>The portal's one store.</summary>
/// <remarks>
/// Add a migration after changing the model:
/// <c>dotnet ef migrations add NAME --project src/NewsPortal.Web --output-dir Data/Migrations</c>.
/// Migrations are applied at start-up by <see cref="DatabaseInitializer"/>.
/// </remarks>
public sealed class NewsDbContext(DbContextOptions<NewsDbContext> options) : DbContext(options)
{
    public DbSet<Article> Articles => Set<Article>();
    public DbSet<Category> Categories => Set<Category>();
    public DbSet<Source> Sources => Set<Source>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
        => modelBuilder.ApplyConfigurationsFromAssembly(typeof(NewsDbContext).Assembly);
}
