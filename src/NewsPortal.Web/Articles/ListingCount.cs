using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NewsPortal.Web.Articles;

/// <summary>
/// How many listed stories a listing has, kept by the store's triggers as stories are written, so no page counts
/// rows: <c>all</c>, <c>month:2025-06</c> (by "Published on" date) and <c>language:en</c> (the tag in lower case).
/// Categories and sources keep theirs on their own rows.
/// </summary>
public sealed class ListingCount
{
    public const int KeyMaxLength = 64;
    public const string All = "all";

    public required string Key { get; init; }
    public int ArticleCount { get; init; }

    public static string Month(int year, int month) => $"month:{year:D4}-{month:D2}";

    public static string Language(string tag) => $"language:{tag.ToLowerInvariant()}";
}

public sealed class ListingCountConfiguration : IEntityTypeConfiguration<ListingCount>
{
    public void Configure(EntityTypeBuilder<ListingCount> builder)
    {
        builder.HasKey(c => c.Key);
        builder.Property(c => c.Key).HasMaxLength(ListingCount.KeyMaxLength);
    }
}
