using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Webhooks;

public static class WebhookEvents
{
    public const string Published = "article.published";
    public const string Updated = "article.updated";
    public const string Unpublished = "article.unpublished";

    /// <summary>The event a save causes, from whether readers could see the article before and after it; null when none.</summary>
    public static string? For(bool wasPublic, bool isPublic) => (wasPublic, isPublic) switch
    {
        (false, true) => Published,
        (true, true) => Updated,
        (true, false) => Unpublished,
        _ => null,
    };
}

/// <summary>
/// Queues an event for every active subscriber in the caller's unit of work, so the delivery rows commit or roll
/// back with the change they report; <c>WebhookSender</c> sends them.
/// </summary>
public sealed class WebhookOutbox(NewsDbContext db, TimeProvider clock, IOptions<PortalOptions> options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task EnqueueAsync(string eventName, Article article, CancellationToken cancellationToken)
        => EnqueueAsync([(eventName, article)], cancellationToken);

    /// <summary>Queues several events, looking up the subscribers once (an import announces a batch at a time); returns the deliveries queued.</summary>
    public async Task<int> EnqueueAsync(IReadOnlyCollection<(string Event, Article Article)> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return 0;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var subscriptions = await db.WebhookSubscriptions.Where(s => s.Active).Select(s => s.Id).ToListAsync(cancellationToken);
        foreach (var (eventName, article) in subscriptions.Count == 0 ? [] : events)
        {
            Add(eventName, article, subscriptions, now);
        }

        return subscriptions.Count * events.Count;
    }

    /// <summary>
    /// The payload of an unpublish that still waits to be sent when its story is deleted for good: only the address
    /// its subscriber needs to take the story down.
    /// </summary>
    public string TakenDownPayload(string slug, DateTime now) => JsonSerializer.Serialize(new
    {
        @event = WebhookEvents.Unpublished,
        occurredAt = now,
        article = new { slug, url = Url(slug), status = "Deleted" },
    }, Json);

    private string Url(string slug) => $"{options.Value.PublicOrigin}/articles/{slug}";

    private void Add(string eventName, Article article, List<int> subscriptions, DateTime now)
    {
        var payload = JsonSerializer.Serialize(new
        {
            @event = eventName,
            occurredAt = now,
            article = new
            {
                article.Slug,
                article.Title,
                url = Url(article.Slug),
                status = article.Status.ToString(),
                publishedOn = article.PublishedOn,
                publishAt = article.PublishAtUtc,
                updatedAt = article.UpdatedAtUtc,
                article.Language,
            },
        }, Json);
        foreach (var id in subscriptions)
        {
            db.WebhookDeliveries.Add(new WebhookDelivery
            {
                SubscriptionId = id,
                Event = eventName,
                Payload = payload,
                // A story created in this unit of work has no id yet: EF gives it through the navigation on saving.
                ArticleId = article.Id == 0 ? null : article.Id,
                Article = article.Id == 0 ? article : null,
                State = DeliveryState.Pending,
                CreatedAtUtc = now,
                NextAttemptAtUtc = now,
            });
        }
    }
}
