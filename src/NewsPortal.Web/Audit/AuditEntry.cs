using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NewsPortal.Web.Audit;

/// <summary>One thing someone did: signed in, created, edited, published, deleted, imported…</summary>
public class AuditEntry
{
    public long Id { get; set; }
    public DateTime AtUtc { get; set; }
    public required string User { get; set; }
    public required string Action { get; set; }
    public required string Subject { get; set; }
    public string? Details { get; set; }
}

public sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("AuditLog");
        builder.Property(e => e.User).HasMaxLength(256);
        builder.Property(e => e.Action).HasMaxLength(64);
        builder.Property(e => e.Subject).HasMaxLength(400);
        builder.Property(e => e.Details).HasMaxLength(4000);
        builder.HasIndex(e => e.AtUtc);

        // The log's page walks back from an id, by one user or one action as filtered, reading only the rows it shows.
        builder.HasIndex(e => new { e.User, e.Id });
        builder.HasIndex(e => new { e.Action, e.Id });

        // A story deleted for good has its lines found by the addresses it had (ArticleAdminService.PurgeAsync).
        builder.HasIndex(e => e.Subject);
        builder.Property(e => e.AtUtc).HasConversion(v => v, v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
    }
}
