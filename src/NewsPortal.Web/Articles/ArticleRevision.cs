using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NewsPortal.Web.Articles;

/// <summary>One saved state of an article: who saved it, when, why, and every editorial field as it then stood.</summary>
public class ArticleRevision
{
    public int Id { get; set; }
    public int ArticleId { get; set; }

    /// <summary>1, 2, 3… within the article.</summary>
    public int Number { get; set; }

    public DateTime CreatedAtUtc { get; set; }
    public required string Author { get; set; }

    /// <summary>What the save did: "created", "edited", "published", "restored revision 2", "refused: conflicting edit"…</summary>
    public required string Action { get; set; }

    /// <summary>The fields as JSON (see <see cref="ArticleSnapshot"/>).</summary>
    public required string Snapshot { get; set; }

    public Article? Article { get; set; }
}

public sealed class ArticleRevisionConfiguration : IEntityTypeConfiguration<ArticleRevision>
{
    public void Configure(EntityTypeBuilder<ArticleRevision> builder)
    {
        builder.Property(r => r.Author).HasMaxLength(256);
        builder.Property(r => r.Action).HasMaxLength(200);
        builder.HasIndex(r => new { r.ArticleId, r.Number }).IsUnique();
        builder.HasOne(r => r.Article).WithMany(a => a.Revisions).HasForeignKey(r => r.ArticleId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(r => r.CreatedAtUtc).HasConversion(v => v, v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
    }
}
