using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;

namespace NewsPortal.Web.Webhooks;

/// <summary>
/// Sends the outbox <see cref="WebhookOutbox"/> fills: every Webhooks:PollSeconds it takes the deliveries that are due
/// and POSTs each, signed, to its subscriber. A failed attempt is retried with exponential backoff until
/// Webhooks:MaxAttempts, then the delivery is marked Failed.
/// </summary>
public sealed class WebhookSender(
    IServiceScopeFactory scopes, IHttpClientFactory httpClients, WebhookSecrets secrets, TimeProvider clock, IOptions<WebhookOptions> options,
    ILogger<WebhookSender> logger)
    : BackgroundService
{
    public const string HttpClientName = "webhooks";
    public const string EventHeader = "X-NewsPortal-Event";
    public const string DeliveryHeader = "X-NewsPortal-Delivery";
    public const string TimestampHeader = "X-NewsPortal-Timestamp";
    public const string SignatureHeader = "X-NewsPortal-Signature";

    // Subscribers sent to at the same time; one subscriber's deliveries go one after another, oldest first.
    private const int ParallelSubscribers = 8;

    // A claimed delivery is not due again until its attempt has certainly finished or timed out.
    private static readonly TimeSpan ClaimMargin = TimeSpan.FromSeconds(30);

    // Old deliveries are looked for this often, and at most this many of the oldest at a time.
    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(1);
    private const int PruneBatch = 1000;
    private DateTime _prunedAt = DateTime.MinValue;

    // One pass at a time in this process, so a pass run by hand (tests) never overlaps the loop's.
    // Never disposed: a pass still finishing when the host disposes the service releases it, and a SemaphoreSlim holds
    // nothing to free unless its wait handle is asked for.
    private readonly SemaphoreSlim _pass = new(1, 1);

    private WebhookOptions Settings => options.Value;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>The signature header's value: <c>sha256=</c> and the lower-case hex HMAC-SHA256, keyed with the secret's UTF-8 bytes, of <c>{timestamp}.{body}</c>.</summary>
    public static string Sign(string secret, long timestamp, string body)
    {
        var signed = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{timestamp}.{body}"));
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    /// <summary>One pass: attempts every delivery that is due now (up to Webhooks:BatchSize) and returns how many attempts it made.</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken = default)
    {
        await _pass.WaitAsync(cancellationToken);
        try
        {
            var due = await DueAsync(cancellationToken);
            var attempts = 0;
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = ParallelSubscribers, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(due.GroupBy(d => d.SubscriptionId), parallel,
                async (deliveries, ct) => Interlocked.Add(ref attempts, await SendToSubscriberAsync([.. deliveries], ct)));
            return attempts;
        }
        finally
        {
            _pass.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Settings.Enabled)
        {
            logger.LogInformation("Webhook sending is off (Webhooks:Enabled is false); deliveries stay queued");
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Settings.PollSeconds), clock);
        // A broken pass (the store locked or gone) must not end the loop: its deliveries are still queued for the next.
        // An attempt cut short by stopping is retried once its claim runs out.
        await new RepeatedFailures(logger, "send webhooks", clock).RunAsync(timer, async cancellationToken =>
        {
            await SendDueAsync(cancellationToken);
            if (Now - _prunedAt >= PruneEvery)
            {
                _prunedAt = Now;
                await PruneAsync(cancellationToken);
            }
        }, stoppingToken);
    }

    /// <summary>
    /// Deletes deliveries older than Webhooks:KeepDays, among the oldest <see cref="PruneBatch"/> (ids grow with
    /// time, so the old ones come first): each look reads at most that many, however large the table has grown.
    /// Returns how many it deleted.
    /// </summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        var cutoff = Now.AddDays(-Settings.KeepDays);
        var deleted = 0;
        int batch;
        do
        {
            var oldest = db.WebhookDeliveries.OrderBy(d => d.Id).Take(PruneBatch).Select(d => d.Id);
            batch = await db.WebhookDeliveries.Where(d => oldest.Contains(d.Id) && d.CreatedAtUtc < cutoff).ExecuteDeleteAsync(cancellationToken);
            deleted += batch;
        }
        while (batch == PruneBatch);

        if (deleted > 0)
        {
            logger.LogInformation("Deleted {Count} webhook deliveries older than {KeepDays} days", deleted, Settings.KeepDays);
        }

        return deleted;
    }

    private async Task<List<Due>> DueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        var now = Now;
        return await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.State == DeliveryState.Pending && d.NextAttemptAtUtc <= now && d.Subscription!.Active)
            .OrderBy(d => d.Id)
            .Take(Settings.BatchSize)
            .Select(d => new Due(d.Id, d.SubscriptionId, d.Event, d.Payload, d.Attempts, d.Subscription!.Url, d.Subscription.Secret))
            .ToListAsync(cancellationToken);
    }

    private async Task<int> SendToSubscriberAsync(IReadOnlyList<Due> deliveries, CancellationToken cancellationToken)
    {
        var attempts = 0;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
            var secret = secrets.Unprotect(deliveries[0].Secret);
            foreach (var delivery in deliveries)
            {
                if (!await ClaimAsync(db, delivery, cancellationToken))
                {
                    continue;
                }

                attempts++;
                var result = await PostAsync(delivery, secret, cancellationToken);

                // The POST went out: record it even when shutting down, so that it is not sent again for nothing.
                await RecordAsync(db, delivery, result, CancellationToken.None);
                if (!result.Delivered)
                {
                    // A subscriber that is down costs one timeout per pass, not one per queued event; the rest wait their turn.
                    break;
                }
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // One subscriber's trouble (or the store's) must not keep the others from their deliveries.
            logger.LogError(ex, "Sending webhooks for subscription {SubscriptionId} failed; its deliveries wait for the next pass", deliveries[0].SubscriptionId);
        }

        return attempts;
    }

    /// <summary>Takes the delivery for this attempt, unless another pass (or process) already has.</summary>
    private async Task<bool> ClaimAsync(NewsDbContext db, Due delivery, CancellationToken cancellationToken)
    {
        var now = Now;
        var claimedUntil = now + TimeSpan.FromSeconds(Settings.TimeoutSeconds) + ClaimMargin;
        var claimed = await db.WebhookDeliveries
            .Where(d => d.Id == delivery.Id && d.State == DeliveryState.Pending && d.Attempts == delivery.Attempts && d.NextAttemptAtUtc <= now)
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.NextAttemptAtUtc, claimedUntil), cancellationToken);
        return claimed == 1;
    }

    private async Task<AttemptResult> PostAsync(Due delivery, string? secret, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        if (secret is null)
        {
            // A store restored without its key ring: nothing can be signed for this receiver, and it must not be sent unsigned.
            return new AttemptResult(false, null, WebhookSecrets.UnreadableError, Elapsed(started));
        }

        try
        {
            var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
            using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
            {
                Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add(EventHeader, delivery.Event);
            request.Headers.Add(DeliveryHeader, delivery.Id.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add(TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add(SignatureHeader, Sign(secret, timestamp, delivery.Payload));

            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            return new AttemptResult(response.IsSuccessStatusCode, status, response.IsSuccessStatusCode ? null : $"HTTP {status} {response.ReasonPhrase}".TrimEnd(), Elapsed(started));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new AttemptResult(false, null, $"No answer within {Settings.TimeoutSeconds} s", Elapsed(started));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Refused connections, unknown hosts, TLS trouble, even an address that no longer parses: all failed attempts,
            // so that a delivery that can never succeed still ends as Failed instead of being tried forever. What is
            // shown says which kind, never the address or port behind it, so the page cannot map a network.
            logger.LogDebug(ex, "Webhook delivery {DeliveryId} could not be sent", delivery.Id);
            return new AttemptResult(false, null, FailureOf(ex), Elapsed(started));
        }
    }

    private async Task RecordAsync(NewsDbContext db, Due delivery, AttemptResult result, CancellationToken cancellationToken)
    {
        var attempt = delivery.Attempts + 1;
        var now = Now;
        var url = ForLogs(delivery.Url);
        var deliveries = db.WebhookDeliveries.Where(d => d.Id == delivery.Id);
        if (result.Delivered)
        {
            await deliveries.ExecuteUpdateAsync(u => u
                .SetProperty(d => d.State, DeliveryState.Delivered)
                .SetProperty(d => d.Attempts, attempt)
                .SetProperty(d => d.DeliveredAtUtc, now)
                .SetProperty(d => d.NextAttemptAtUtc, now), cancellationToken);
            logger.LogInformation("Webhook delivery {DeliveryId} ({Event}) to {Url}: attempt {Attempt} answered {StatusCode} in {ElapsedMs} ms",
                delivery.Id, delivery.Event, url, attempt, result.StatusCode, result.ElapsedMs);
            return;
        }

        var error = result.Error is { } text ? Shared.Text.Cut(text, 1000) : null;
        if (attempt >= Settings.MaxAttempts)
        {
            await deliveries.ExecuteUpdateAsync(u => u
                .SetProperty(d => d.State, DeliveryState.Failed)
                .SetProperty(d => d.Attempts, attempt)
                .SetProperty(d => d.LastError, error)
                .SetProperty(d => d.NextAttemptAtUtc, now), cancellationToken);
            logger.LogError("Webhook delivery {DeliveryId} ({Event}) to {Url}: attempt {Attempt} of {MaxAttempts} failed with {StatusCode} ({Error}) in {ElapsedMs} ms; giving up",
                delivery.Id, delivery.Event, url, attempt, Settings.MaxAttempts, result.StatusCode, error, result.ElapsedMs);
            return;
        }

        var next = now + Settings.RetryDelay(attempt);
        await deliveries.ExecuteUpdateAsync(u => u
            .SetProperty(d => d.Attempts, attempt)
            .SetProperty(d => d.LastError, error)
            .SetProperty(d => d.NextAttemptAtUtc, next), cancellationToken);
        logger.LogWarning("Webhook delivery {DeliveryId} ({Event}) to {Url}: attempt {Attempt} of {MaxAttempts} failed with {StatusCode} ({Error}) in {ElapsedMs} ms; next attempt at {NextAttemptAtUtc:o}",
            delivery.Id, delivery.Event, url, attempt, Settings.MaxAttempts, result.StatusCode, error, result.ElapsedMs, next);
    }

    private static long Elapsed(long started) => (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;

    private static string FailureOf(Exception ex) => ex switch
    {
        WebhookTargetRefusedException or { InnerException: WebhookTargetRefusedException } => "Refused: the address is not a public one",
        _ when ex.InnerException is System.Security.Authentication.AuthenticationException => "The TLS handshake failed",
        _ when ex.InnerException is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.HostNotFound or System.Net.Sockets.SocketError.NoData } => "The host could not be found",
        HttpRequestException => "Could not connect",
        _ => "Could not send",
    };

    /// <summary>The scheme and host only: receivers take their access token in the query or, as Slack's do, in the path.</summary>
    public static string ForLogs(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : "(an address that is not absolute)";

    private sealed record Due(long Id, int SubscriptionId, string Event, string Payload, int Attempts, string Url, string Secret);

    private sealed record AttemptResult(bool Delivered, int? StatusCode, string? Error, long ElapsedMs);
}
