using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NewsPortal.Web.Articles;

public sealed class ArticleConfiguration : IEntityTypeConfiguration<Article>
{
    public void Configure(EntityTypeBuilder<Article> builder)
    {
        builder.Property(a => a.Title).HasMaxLength(Article.TitleMaxLength);
        builder.Property(a => a.Slug).HasMaxLength(Article.SlugMaxLength);
        builder.Property(a => a.Dateline).HasMaxLength(Article.DatelineMaxLength);
        builder.Property(a => a.Lede).HasMaxLength(Article.LedeMaxLength);
        builder.Property(a => a.Language).HasMaxLength(Article.LanguageMaxLength);
        builder.Property(a => a.Site).HasMaxLength(Article.SiteMaxLength);
        builder.Property(a => a.OriginalUrl).HasMaxLength(Article.UrlMaxLength);

        builder.Property(a => a.CorrectionNote).HasMaxLength(Article.CorrectionMaxLength);
        builder.Property(a => a.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(a => a.Version).IsConcurrencyToken();
        builder.HasIndex(a => new { a.Status, a.PublishAtUtc });

        builder.HasIndex(a => a.Slug).IsUnique();
        // Listings sort newest first on these columns.
        builder.HasIndex(a => new { a.PublishedOn, a.DocumentDate, a.Id });

        // The importer recognises a story it already has by site and URL, or by title and document date.
        builder.HasIndex(a => a.OriginalUrl);
        builder.HasIndex(a => new { a.Title, a.DocumentDate });

        // SQLite keeps no time zone; these two are always UTC, so say so when they are read back.
        builder.Property(a => a.CreatedAtUtc).HasConversion(v => v, v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
        builder.Property(a => a.UpdatedAtUtc).HasConversion(v => v, v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
        builder.Property(a => a.PublishAtUtc).HasConversion(v => v, v => v.HasValue ? DateTime.SpecifyKind(v.Value, DateTimeKind.Utc) : v);
        builder.Property(a => a.DeletedAtUtc).HasConversion(v => v, v => v.HasValue ? DateTime.SpecifyKind(v.Value, DateTimeKind.Utc) : v);

        builder.HasMany(a => a.Categories).WithMany(c => c.Articles).UsingEntity("ArticleCategories");
        builder.HasMany(a => a.Sources).WithMany(s => s.Articles).UsingEntity("ArticleSources");
    }
}
