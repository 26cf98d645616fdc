using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NewsPortal.Web.Webhooks;

/// <summary>A URL an admin registered to be told when articles are published, updated or unpublished.</summary>
public class WebhookSubscription
{
    public int Id { get; set; }
    public required string Url { get; set; }

    /// <summary>
    /// The shared secret deliveries are signed with (HMAC-SHA256); shown to the admin once, stored encrypted
    /// (<see cref="WebhookSecrets"/>).
    /// </summary>
    public required string Secret { get; set; }

    public bool Active { get; set; } = true;
    public required string CreatedBy { get; set; }
    public DateTime CreatedAtUtc { get; set; }
}

public enum DeliveryState
{
    Pending,
    Delivered,
    Failed,
}

/// <summary>
/// One event for one subscriber, written in the same transaction as the change it reports (an outbox), then sent
/// by a background service that retries with backoff.
/// </summary>
public class WebhookDelivery
{
    public long Id { get; set; }
    public int SubscriptionId { get; set; }

    /// <summary>article.published, article.updated or article.unpublished.</summary>
    public required string Event { get; set; }

    public required string Payload { get; set; }

    /// <summary>The story the event is about, so that deleting it for good can take its text out of the deliveries too.</summary>
    public int? ArticleId { get; set; }

    public Articles.Article? Article { get; set; }
    public DeliveryState State { get; set; }
    public int Attempts { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime NextAttemptAtUtc { get; set; }
    public DateTime? DeliveredAtUtc { get; set; }
    public string? LastError { get; set; }

    public WebhookSubscription? Subscription { get; set; }
}

public sealed class WebhookSubscriptionConfiguration : IEntityTypeConfiguration<WebhookSubscription>
{
    public void Configure(EntityTypeBuilder<WebhookSubscription> builder)
    {
        builder.Property(s => s.Url).HasMaxLength(2048);

        // One subscription an address: each event is sent to it once.
        builder.HasIndex(s => s.Url).IsUnique();
        // Encrypted: a 43-character secret takes about 170.
        builder.Property(s => s.Secret).HasMaxLength(512);
        builder.Property(s => s.CreatedBy).HasMaxLength(256);
        builder.Property(s => s.CreatedAtUtc).HasConversion(v => v, v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
    }
}

public sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.Property(d => d.Event).HasMaxLength(64);
        builder.Property(d => d.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(d => d.LastError).HasMaxLength(1000);
        builder.HasIndex(d => new { d.State, d.NextAttemptAtUtc });

        // The webhooks page counts each subscriber's pending deliveries and those of the last day by state.
        builder.HasIndex(d => new { d.SubscriptionId, d.State, d.CreatedAtUtc });
        builder.HasOne(d => d.Subscription).WithMany().HasForeignKey(d => d.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(d => d.Article).WithMany().HasForeignKey(d => d.ArticleId).OnDelete(DeleteBehavior.SetNull);
        builder.Property(d => d.CreatedAtUtc).HasConversion(v => v, v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
        builder.Property(d => d.NextAttemptAtUtc).HasConversion(v => v, v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
    }
}
