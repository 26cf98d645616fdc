using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NewsPortal.Web.Import;

/// <summary>
/// A piece of a dry run's uploaded file, kept in the store when nodes share it (with Redis), so "Import for real"
/// works on whichever node the request reaches. Kept as long as the node that took the upload keeps its copy.
/// </summary>
public sealed class ImportUploadChunk
{
    public const int FileNameMaxLength = 255;

    /// <summary>The bytes a row holds: large enough to keep rows few, small enough to read one at a time.</summary>
    public const int Size = 1024 * 1024;

    /// <summary>The dry run's job.</summary>
    public Guid UploadId { get; init; }
    public int FileIndex { get; init; }
    public int Chunk { get; init; }
    public required string FileName { get; init; }
    public required byte[] Bytes { get; init; }
    public long Stories { get; init; }
    public DateTime SavedAtUtc { get; init; }
}

public sealed class ImportUploadChunkConfiguration : IEntityTypeConfiguration<ImportUploadChunk>
{
    public void Configure(EntityTypeBuilder<ImportUploadChunk> builder)
    {
        builder.HasKey(c => new { c.UploadId, c.FileIndex, c.Chunk });
        builder.Property(c => c.FileName).HasMaxLength(ImportUploadChunk.FileNameMaxLength);
        builder.Property(c => c.SavedAtUtc).HasConversion(v => v, v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
        builder.HasIndex(c => c.SavedAtUtc);
    }
}
