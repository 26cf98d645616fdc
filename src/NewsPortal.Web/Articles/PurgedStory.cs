using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NewsPortal.Web.Articles;

/// <summary>
/// What is kept of a story an admin deleted for good: its import keys (<see cref="MatchKeys"/>, hashes, no text), so
/// that an import of the same item (an agency's feed sending it again) does not bring it back, as the row of a story
/// only deleted already keeps it from coming back.
/// </summary>
public sealed class PurgedStory
{
    public int Id { get; init; }
    public long? UrlKey { get; init; }
    public long TitleKey { get; init; }
    public DateTime PurgedAtUtc { get; init; }

    /// <summary>
    /// Whether a story with these keys is this one, by the import's rule for stories it has: the same site and link,
    /// or the same headline and date unless both have links and they differ.
    /// </summary>
    public bool Matches(long? urlKey, long titleKey)
        => (urlKey is not null && urlKey == UrlKey) || (titleKey == TitleKey && (urlKey is null || UrlKey is null));
}

public sealed class PurgedStoryConfiguration : IEntityTypeConfiguration<PurgedStory>
{
    public void Configure(EntityTypeBuilder<PurgedStory> builder)
    {
        builder.ToTable("PurgedStories");
        builder.HasIndex(p => p.UrlKey);
        builder.HasIndex(p => p.TitleKey);
        builder.Property(p => p.PurgedAtUtc).HasConversion(v => v, v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
    }
}
