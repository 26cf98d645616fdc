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
        builder.Property(a => a.License).HasMaxLength(Article.LicenseMaxLength);
        builder.Property(a => a.ImageUrl).HasMaxLength(Article.UrlMaxLength);
        builder.Property(a => a.ImageAlt).HasMaxLength(Article.ImageAltMaxLength);
        builder.Property(a => a.Summary).HasMaxLength(Article.LedeMaxLength);

        builder.Property(a => a.CorrectionNote).HasMaxLength(Article.CorrectionMaxLength);
        builder.Property(a => a.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(a => a.Version).IsConcurrencyToken();
        // Due scheduled stories, and the news sitemap's last two days of published ones.
        builder.HasIndex(a => new { a.Status, a.PublishAtUtc });

        builder.HasIndex(a => a.Slug).IsUnique();
        // Every listing walks an index in this order from a (sort key, id) position; the language listing's index,
        // on lower("Language"), is an expression EF cannot declare and lives in the NewsroomScale migration.
        builder.HasIndex(a => new { a.Listed, a.SortKey, a.Id }).IsDescending(false, true, true);
        // A thread's timeline, newest first.
        builder.HasIndex(a => new { a.ThreadId, a.Listed, a.SortKey, a.Id }).IsDescending(false, false, true, true);
        // Whether a story found by id (a search match) is listed, where, and in what language, without reading its row.
        builder.HasIndex(a => new { a.Id, a.Listed, a.SortKey, a.Language });
        // Stories stored before bodies were kept rendered, for the background pass that renders them.
        builder.HasIndex(a => a.Id).HasFilter("\"BodyHtml\" IS NULL").HasDatabaseName("IX_Articles_BodyHtml_Missing");

        // The importer recognises a story it already has by site and URL, or by title and document date: by their hashes.
        builder.HasIndex(a => a.UrlKey);
        builder.HasIndex(a => a.TitleKey);

        // SQLite keeps no time zone; these two are always UTC, so say so when they are read back.
        builder.Property(a => a.CreatedAtUtc).HasConversion(v => v, v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
        builder.Property(a => a.UpdatedAtUtc).HasConversion(v => v, v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
        builder.Property(a => a.PublishAtUtc).HasConversion(v => v, v => v.HasValue ? DateTime.SpecifyKind(v.Value, DateTimeKind.Utc) : v);
        builder.Property(a => a.DeletedAtUtc).HasConversion(v => v, v => v.HasValue ? DateTime.SpecifyKind(v.Value, DateTimeKind.Utc) : v);

        // Each link carries a copy of its story's Listed and SortKey (the store's triggers keep them), so a category's or
        // a source's listing is one index walk too.
        builder.HasMany(a => a.Categories).WithMany(c => c.Articles).UsingEntity("ArticleCategories", join => ListingLink(join, "CategoriesId"));
        builder.HasMany(a => a.Sources).WithMany(s => s.Articles).UsingEntity("ArticleSources", join => ListingLink(join, "SourcesId"));
    }

    private static void ListingLink(EntityTypeBuilder join, string nameColumn)
    {
        join.Property<bool>(nameof(Article.Listed));
        join.Property<long?>(nameof(Article.SortKey));
        join.HasIndex(nameColumn, nameof(Article.Listed), nameof(Article.SortKey), "ArticlesId").IsDescending(false, false, true, true);
    }
}
