using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NewsPortal.Web.Categories;
using NewsPortal.Web.Sources;

namespace NewsPortal.Web.Shared;

/// <summary>
/// A former or alternative name of a category or source. The importer maps the name to its target, and the
/// old slug (after a rename or a merge) answers 301 to the target's page.
/// </summary>
public abstract class NameAlias
{
    public int Id { get; set; }
    public int TargetId { get; set; }
    public required string Name { get; set; }
    public required string NameKey { get; set; }
    public string? Slug { get; set; }
}

public sealed class CategoryAlias : NameAlias
{
    public Category? Target { get; set; }
}

public sealed class SourceAlias : NameAlias
{
    public Source? Target { get; set; }
}

public sealed class CategoryAliasConfiguration : IEntityTypeConfiguration<CategoryAlias>
{
    public void Configure(EntityTypeBuilder<CategoryAlias> builder)
    {
        builder.ToTable("CategoryAliases");
        builder.Property(a => a.Name).HasMaxLength(Category.NameMaxLength);
        builder.Property(a => a.NameKey).HasMaxLength(Category.NameMaxLength);
        builder.Property(a => a.Slug).HasMaxLength(Category.SlugMaxLength);
        builder.HasIndex(a => a.NameKey).IsUnique();
        builder.HasIndex(a => a.Slug).IsUnique();
        builder.HasOne(a => a.Target).WithMany().HasForeignKey(a => a.TargetId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class SourceAliasConfiguration : IEntityTypeConfiguration<SourceAlias>
{
    public void Configure(EntityTypeBuilder<SourceAlias> builder)
    {
        builder.ToTable("SourceAliases");
        builder.Property(a => a.Name).HasMaxLength(Source.NameMaxLength);
        builder.Property(a => a.NameKey).HasMaxLength(Source.NameMaxLength);
        builder.Property(a => a.Slug).HasMaxLength(Source.SlugMaxLength);
        builder.HasIndex(a => a.NameKey).IsUnique();
        builder.HasIndex(a => a.Slug).IsUnique();
        builder.HasOne(a => a.Target).WithMany().HasForeignKey(a => a.TargetId).OnDelete(DeleteBehavior.Cascade);
    }
}
