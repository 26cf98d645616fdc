using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Webhooks;

/// <summary>
/// Webhooks' signing secrets as the store keeps them, encrypted (see <see cref="StoredSecrets"/>): whoever holds a copy
/// of the store alone cannot sign a delivery that a receiver would take for the site's.
/// </summary>
public sealed class WebhookSecrets(IDataProtectionProvider protection, ILogger<WebhookSecrets> logger)
    : StoredSecrets(protection, "NewsPortal.Webhooks.Secrets", logger)
{
    /// <summary>What a delivery whose secret cannot be read records as its attempt's error, for the admin to see.</summary>
    public const string UnreadableError = "Its signing secret cannot be read with this site's data-protection keys: delete the webhook and add it again";

    protected override string Name => "A webhook's signing secret";

    protected override string Remedy => "its deliveries fail until an admin deletes the webhook and adds it again";

    /// <summary>
    /// Encrypts the secrets an earlier version stored as they were, in one read of the subscriptions (an admin's
    /// handful), and warns of those this site cannot read.
    /// </summary>
    public async Task UpgradeStoredAsync(NewsDbContext db, CancellationToken cancellationToken)
    {
        var subscriptions = await db.WebhookSubscriptions.ToListAsync(cancellationToken);
        int encrypted = 0, unreadable = 0;
        foreach (var subscription in subscriptions)
        {
            if (!IsProtected(subscription.Secret))
            {
                subscription.Secret = Protect(subscription.Secret)!;
                encrypted++;
            }
            else if (!CanRead(subscription.Secret))
            {
                unreadable++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        if (encrypted > 0)
        {
            logger.LogInformation("Encrypted the signing secrets of {Webhooks} webhooks, stored as they were by an earlier version", encrypted);
        }

        if (unreadable > 0)
        {
            logger.LogWarning("Webhooks whose signing secret this site's data-protection keys cannot read: {Webhooks}. Were the keys (App_Data/keys, or Redis when nodes share it) lost, or not restored with the store? Their deliveries fail until an admin deletes each and adds it again", unreadable);
        }
    }
}
