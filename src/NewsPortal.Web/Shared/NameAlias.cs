using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NewsPortal.Web.Categories;
using NewsPortal.Web.Sources;
using NewsPortal.Web.Threads;

namespace NewsPortal.Web.Shared;

/// <summary>
/// A former or alternative name of a category, source or developing story. The importer maps the name to its target,
/// and the old slug (after a rename or a merge) answers 301 to the target's page.
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

public sealed class ThreadAlias : NameAlias
{
    public StoryThread? Target { get; set; }
}

/// <summary>One alias table's mapping: names and slugs as long as its target's, each unique, gone with the target.</summary>
internal static class NameAliasTable
{
    public static void Configure<TAlias, TTarget>(
        EntityTypeBuilder<TAlias> builder, string table, int nameMaxLength, int slugMaxLength, System.Linq.Expressions.Expression<Func<TAlias, TTarget?>> target)
        where TAlias : NameAlias
        where TTarget : class
    {
        builder.ToTable(table);
        builder.Property(a => a.Name).HasMaxLength(nameMaxLength);
        builder.Property(a => a.NameKey).HasMaxLength(nameMaxLength);
        builder.Property(a => a.Slug).HasMaxLength(slugMaxLength);
        builder.HasIndex(a => a.NameKey).IsUnique();
        builder.HasIndex(a => a.Slug).IsUnique();
        builder.HasOne(target).WithMany().HasForeignKey(a => a.TargetId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class CategoryAliasConfiguration : IEntityTypeConfiguration<CategoryAlias>
{
    public void Configure(EntityTypeBuilder<CategoryAlias> builder)
        => NameAliasTable.Configure(builder, "CategoryAliases", Category.NameMaxLength, Category.SlugMaxLength, a => a.Target);
}

public sealed class SourceAliasConfiguration : IEntityTypeConfiguration<SourceAlias>
{
    public void Configure(EntityTypeBuilder<SourceAlias> builder)
        => NameAliasTable.Configure(builder, "SourceAliases", Source.NameMaxLength, Source.SlugMaxLength, a => a.Target);
}

public sealed class ThreadAliasConfiguration : IEntityTypeConfiguration<ThreadAlias>
{
    public void Configure(EntityTypeBuilder<ThreadAlias> builder)
        => NameAliasTable.Configure(builder, "ThreadAliases", StoryThread.NameMaxLength, StoryThread.SlugMaxLength, a => a.Target);
}
