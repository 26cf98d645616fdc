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
        // The most recently active threads first: the API's list, the editor's thread names, the search suggestions.
        builder.HasIndex(t => new { t.LatestSortKey, t.Id }).IsDescending(true, true);
        // The developing ones alone, for the /threads index and the front page's rail: walking the index above and
        // passing over one-story threads would read every thread of a store that gives each story its own.
        builder.HasIndex(t => new { t.LatestSortKey, t.Id }, "IX_Threads_Developing").IsDescending(true, true)
            .HasFilter($"\"ArticleCount\" >= {ThreadService.DevelopingMinimum}");
        builder.HasMany(t => t.Articles).WithOne(a => a.Thread).HasForeignKey(a => a.ThreadId).OnDelete(DeleteBehavior.SetNull);
    }
}
