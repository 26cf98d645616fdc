using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using NewsPortal.Web.Audit;
using NewsPortal.Web.Data;

namespace NewsPortal.Web.Webhooks;

/// <summary>A subscription with what happened to its deliveries lately.</summary>
public sealed record WebhookRow(
    int Id, string Url, bool Active, string CreatedBy, DateTime CreatedAtUtc, int Pending, int Delivered, int Failed, DateTime? LastDeliveredAtUtc);

public sealed record WebhookDeliveryRow(
    long Id, int SubscriptionId, string Url, string Event, DeliveryState State, int Attempts, DateTime CreatedAtUtc, DateTime NextAttemptAtUtc,
    DateTime? DeliveredAtUtc, string? LastError);

/// <summary>A subscription just added, with the secret that is shown this once.</summary>
public sealed record NewWebhook(int Id, string Url, string Secret);

/// <summary>The admins' side of webhooks: register, pause, resume and remove subscribers, and see how deliveries went.</summary>
public sealed class WebhookService(NewsDbContext db, AuditLog audit, TimeProvider clock, WebhookTargets targets, WebhookSecrets secrets)
{
    /// <summary>Delivered and failed deliveries are counted over this window; pending ones whenever they were written.</summary>
    public static readonly TimeSpan RecentWindow = TimeSpan.FromDays(7);

    public const int RecentDeliveryCount = 50;

    public const int MaxUrlLength = 2048;

    public Task<List<WebhookRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        var since = clock.GetUtcNow().UtcDateTime - RecentWindow;
        return db.WebhookSubscriptions.AsNoTracking()
            .OrderBy(s => s.Id)
            .Select(s => new WebhookRow(
                s.Id, s.Url, s.Active, s.CreatedBy, s.CreatedAtUtc,
                db.WebhookDeliveries.Count(d => d.SubscriptionId == s.Id && d.State == DeliveryState.Pending),
                db.WebhookDeliveries.Count(d => d.SubscriptionId == s.Id && d.State == DeliveryState.Delivered && d.CreatedAtUtc >= since),
                db.WebhookDeliveries.Count(d => d.SubscriptionId == s.Id && d.State == DeliveryState.Failed && d.CreatedAtUtc >= since),
                db.WebhookDeliveries.Where(d => d.SubscriptionId == s.Id).Max(d => d.DeliveredAtUtc)))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The newest deliveries to every subscriber, with their state, attempts and last error.</summary>
    public Task<List<WebhookDeliveryRow>> RecentDeliveriesAsync(CancellationToken cancellationToken = default)
        => db.WebhookDeliveries.AsNoTracking()
            .OrderByDescending(d => d.Id)
            .Take(RecentDeliveryCount)
            .Select(d => new WebhookDeliveryRow(
                d.Id, d.SubscriptionId, d.Subscription!.Url, d.Event, d.State, d.Attempts, d.CreatedAtUtc, d.NextAttemptAtUtc, d.DeliveredAtUtc, d.LastError))
            .ToListAsync(cancellationToken);

    /// <summary>Why <paramref name="url"/> cannot receive webhooks, or null when it can.</summary>
    public static string? ProblemWith(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return "Enter the address to send events to, such as https://example.org/newsportal-hook.";
        }

        // Bytes as well as characters: the address is a unique index's key, and PostgreSQL's keys hold about 2,700 bytes.
        if (url.Length > MaxUrlLength || System.Text.Encoding.UTF8.GetByteCount(url) > MaxUrlLength)
        {
            return "The address is longer than 2,048 characters (or bytes, counting each letter beyond ASCII as two to four).";
        }

        var trimmed = url.Trim();
        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.Host.Length == 0)
        {
            return uri is null && (trimmed.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || trimmed.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
                ? "The address could not be read: check its host name, and its port if it names one (a number from 1 to 65535)."
                : "Webhooks go to http or https addresses only, such as https://example.org/newsportal-hook.";
        }

        // HttpClient would not send these, so the receiver would see requests without the credentials it expects.
        return uri.UserInfo.Length > 0
            ? "An address with a user name or password is not supported; let the receiver check the signature instead."
            : null;
    }

    /// <summary>Registers a subscriber with a new random secret, or says why the address was refused.</summary>
    public async Task<(NewWebhook? Added, string? Problem)> AddAsync(string? url, string user, CancellationToken cancellationToken = default)
    {
        if (ProblemWith(url) is { } problem)
        {
            return (null, problem);
        }

        url = url!.Trim();
        if (await targets.ProblemWithAsync(new Uri(url), cancellationToken) is { } refused)
        {
            return (null, refused);
        }

        // Two admins adding one address at once each found it free and both were stored: every event went to it twice.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await StoreDialect.Of(db.Database).LockForTransactionAsync(db, "webhook-subscriptions", cancellationToken);
        if (await db.WebhookSubscriptions.AnyAsync(s => s.Url == url, cancellationToken))
        {
            return (null, "That address is already registered.");
        }

        var secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var subscription = new WebhookSubscription
        {
            Url = url,
            Secret = secrets.Protect(secret)!,
            CreatedBy = user,
            CreatedAtUtc = clock.GetUtcNow().UtcDateTime,
        };
        db.WebhookSubscriptions.Add(subscription);
        audit.Add(user, "add webhook", url);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception ex) when (StoreDialect.IsDuplicateKey(ex))
        {
            // The unique index on the address, should a writer ever get past the lock (an older node during an upgrade).
            db.ChangeTracker.Clear();
            return (null, "That address is already registered.");
        }

        await transaction.CommitAsync(cancellationToken);
        return (new NewWebhook(subscription.Id, url, secret), null);
    }

    /// <summary>Pauses or resumes a subscriber: while paused, no new events are queued for it and queued ones wait.</summary>
    public async Task<bool> SetActiveAsync(int id, bool active, string user, CancellationToken cancellationToken = default)
    {
        var subscription = await db.WebhookSubscriptions.SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (subscription is null)
        {
            return false;
        }

        if (subscription.Active != active)
        {
            subscription.Active = active;
            audit.Add(user, active ? "activate webhook" : "deactivate webhook", subscription.Url);
            return await SaveUnlessDeletedAsync(cancellationToken);
        }

        return true;
    }

    /// <summary>Removes a subscriber and, with it (the foreign key cascades), its deliveries.</summary>
    public async Task<bool> DeleteAsync(int id, string user, CancellationToken cancellationToken = default)
    {
        var subscription = await db.WebhookSubscriptions.SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (subscription is null)
        {
            return false;
        }

        db.WebhookSubscriptions.Remove(subscription);
        audit.Add(user, "delete webhook", subscription.Url);
        return await SaveUnlessDeletedAsync(cancellationToken);
    }

    /// <summary>
    /// Saves a change to a subscriber, or says it is gone when another request deleted it between the read and this
    /// save (two admins, or two clicks, at once): the update or delete then finds no row, which EF reports as a conflict.
    /// </summary>
    private async Task<bool> SaveUnlessDeletedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }
}
