using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NewsPortal.Web.Categories;

public sealed class CategoryConfiguration : IEntityTypeConfiguration<Category>
{
    public void Configure(EntityTypeBuilder<Category> builder)
    {
        builder.Property(c => c.Name).HasMaxLength(Category.NameMaxLength);
        builder.Property(c => c.NameKey).HasMaxLength(Category.NameMaxLength);
        builder.Property(c => c.Slug).HasMaxLength(Category.SlugMaxLength);
        builder.HasIndex(c => c.Slug).IsUnique();
        builder.HasIndex(c => c.NameKey).IsUnique();
        // The folded name, then the key: twice the key's length and the separator.
        builder.Property(c => c.IndexKey).HasMaxLength(2 * Category.NameMaxLength + 1);
        builder.HasIndex(c => c.IndexKey);
        // The busiest first: the front page's sections.
        builder.HasIndex(c => new { c.ArticleCount, c.Id }).IsDescending(true, false);
    }
}
