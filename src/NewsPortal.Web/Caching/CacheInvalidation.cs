using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NewsPortal.Web.Caching;

/// <summary>
/// One cache tag to evict, written in the same transaction as the change it reports, so every process that caches
/// pages (each node, whatever wrote the change) evicts it too: see <see cref="CacheListener"/>.
/// </summary>
public sealed class CacheInvalidation
{
    public const int TagMaxLength = 100;

    public long Id { get; init; }
    public required string Tag { get; init; }

    /// <summary>The process that wrote it, which evicted the tag itself and skips it when reading the log.</summary>
    public Guid Origin { get; init; }
    public DateTime CreatedAtUtc { get; init; }
}

public sealed class CacheInvalidationConfiguration : IEntityTypeConfiguration<CacheInvalidation>
{
    public void Configure(EntityTypeBuilder<CacheInvalidation> builder)
    {
        builder.Property(i => i.Tag).HasMaxLength(CacheInvalidation.TagMaxLength);
        builder.Property(i => i.CreatedAtUtc).HasConversion(v => v, v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
    }
}
