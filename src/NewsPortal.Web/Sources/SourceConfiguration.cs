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
        // The busiest first: a search's suggestions.
        builder.HasIndex(s => new { s.ArticleCount, s.Id }).IsDescending(true, false);
    }
}
