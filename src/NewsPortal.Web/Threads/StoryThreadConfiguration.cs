using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NewsPortal.Web.Threads;

public sealed class StoryThreadConfiguration : IEntityTypeConfiguration<StoryThread>
{
    public void Configure(EntityTypeBuilder<StoryThread> builder)
    {
        builder.ToTable("Threads");
        builder.Property(t => t.Name).HasMaxLength(StoryThread.NameMaxLength);
        builder.Property(t => t.NameKey).HasMaxLength(StoryThread.NameMaxLength);
        builder.Property(t => t.Slug).HasMaxLength(StoryThread.SlugMaxLength);
        builder.HasIndex(t => t.Slug).IsUnique();
        builder.HasIndex(t => t.NameKey).IsUnique();
        // The most recently active threads first: the /threads index, the front page's rail.
        builder.HasIndex(t => new { t.LatestSortKey, t.Id }).IsDescending(true, true);
        builder.HasMany(t => t.Articles).WithOne(a => a.Thread).HasForeignKey(a => a.ThreadId).OnDelete(DeleteBehavior.SetNull);
    }
}
