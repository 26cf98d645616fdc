using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NewsPortal.Web.Sources;

public sealed class SourceConfiguration : IEntityTypeConfiguration<Source>
{
    public void Configure(EntityTypeBuilder<Source> builder)
    {
        builder.Property(s => s.Name).HasMaxLength(Source.NameMaxLength);
        builder.Property(s => s.NameKey).HasMaxLength(Source.NameMaxLength);
        builder.Property(s => s.Slug).HasMaxLength(Source.SlugMaxLength);
        builder.HasIndex(s => s.Slug).IsUnique();
        builder.HasIndex(s => s.NameKey).IsUnique();
        // The folded name, then the key: twice the key's length and the separator.
        builder.Property(s => s.IndexKey).HasMaxLength(2 * Source.NameMaxLength + 1);
        builder.HasIndex(s => s.IndexKey);
        // The busiest first: a search's suggestions.
        builder.HasIndex(s => new { s.ArticleCount, s.Id }).IsDescending(true, false);
    }
}
