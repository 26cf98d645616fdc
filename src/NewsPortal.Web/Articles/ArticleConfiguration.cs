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

        builder.HasIndex(a => a.Slug).IsUnique();
        // Listings sort newest first on these columns.
        builder.HasIndex(a => new { a.PublishedOn, a.DocumentDate, a.Id });

        builder.HasMany(a => a.Categories).WithMany(c => c.Articles).UsingEntity("ArticleCategories");
        builder.HasMany(a => a.Sources).WithMany(s => s.Articles).UsingEntity("ArticleSources");
    }
}
