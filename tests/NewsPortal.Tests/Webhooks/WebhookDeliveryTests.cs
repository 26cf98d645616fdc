using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;
using NewsPortal.Web.Data;
using NewsPortal.Web.Webhooks;

namespace NewsPortal.Tests.Webhooks;

public sealed class WebhookDeliveryTests(WebhookFactory factory) : IClassFixture<WebhookFactory>, IAsyncLifetime
{
    public async Task InitializeAsync() => await factory.ForgetWebhooksAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>What a receiver following the README does: HMAC-SHA256 of "{timestamp}.{body}" keyed with the secret, in lower-case hex.</summary>
    private static string ExpectedSignature(string secret, string timestamp, string body)
        => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));

    private static string EventOf(WebhookReceiver.Received request)
    {
        using var json = JsonDocument.Parse(request.Body);
        return json.RootElement.GetProperty("event").GetString()!;
    }

    [Fact]
    public async Task DeliveriesOlderThanTheirKeepingTime_AreDeleted_WhateverTheirState_AndNewerOnesStay()
    {
        var now = factory.Clock.GetUtcNow().UtcDateTime;
        await factory.WithDbAsync(async db =>
        {
            var subscription = new WebhookSubscription { Url = "https://hooks.example.org/x", Secret = "s", CreatedBy = "admin", CreatedAtUtc = now.AddDays(-60) };
            db.WebhookSubscriptions.Add(subscription);
            await db.SaveChangesAsync();
            db.WebhookDeliveries.AddRange(new[] { (40, DeliveryState.Delivered), (35, DeliveryState.Failed), (31, DeliveryState.Pending), (29, DeliveryState.Delivered), (0, DeliveryState.Pending) }
                .Select(d => new WebhookDelivery
                {
                    SubscriptionId = subscription.Id,
                    Event = "article.published",
                    Payload = $"{{\"age\":{d.Item1}}}",
                    State = d.Item2,
                    CreatedAtUtc = now.AddDays(-d.Item1),
                    NextAttemptAtUtc = now.AddDays(-d.Item1),
                }));
            return await db.SaveChangesAsync();
        });

        var deleted = await factory.Services.GetRequiredService<WebhookSender>().PruneAsync();

        Assert.Equal(3, deleted);
        Assert.Equal(["{\"age\":29}", "{\"age\":0}"], (await factory.DeliveriesAsync()).Select(d => d.Payload));
    }

    [Fact]
    public async Task PublishingAStory_DeliversArticlePublished_SignedWithTheSecretShownToTheAdmin()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await factory.SignedInClientAsync(Roles.Admin);
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var secret = await admin.RegisterWebhookAsync(receiver.Url);

        var editUrl = await editor.WriteStoryAsync("Delegations return to Istanbul");
        await editor.PublishAsync(editUrl);
        var attempts = await factory.SendDueAsync();

        Assert.Equal(1, attempts);
        var request = Assert.Single(receiver.Requests);
        var delivery = Assert.Single(await factory.DeliveriesAsync());
        var timestamp = request.Header("X-NewsPortal-Timestamp");
        Assert.Equal("article.published", request.Header("X-NewsPortal-Event"));
        Assert.Equal(delivery.Id.ToString(CultureInfo.InvariantCulture), request.Header("X-NewsPortal-Delivery"));
        Assert.Equal(factory.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), timestamp);
        Assert.Equal(ExpectedSignature(secret, timestamp, request.Body), request.Header("X-NewsPortal-Signature"));
        Assert.NotEqual(ExpectedSignature(secret + "x", timestamp, request.Body), request.Header("X-NewsPortal-Signature"));
        Assert.Equal("application/json", request.ContentType?.Split(';')[0]);
        using var json = JsonDocument.Parse(request.Body);
        Assert.Equal("article.published", json.RootElement.GetProperty("event").GetString());
        Assert.Equal("delegations-return-to-istanbul", json.RootElement.GetProperty("article").GetProperty("slug").GetString());
        Assert.Equal("Delegations return to Istanbul", json.RootElement.GetProperty("article").GetProperty("title").GetString());
        Assert.Equal(DeliveryState.Delivered, delivery.State);
        Assert.Equal(1, delivery.Attempts);
    }

    private Task<string> StoredSecretAsync() => factory.WithDbAsync(db => db.WebhookSubscriptions.Select(w => w.Secret).SingleAsync());

    private Task StoreSecretAsync(string value) => factory.WithDbAsync(db => db.WebhookSubscriptions.ExecuteUpdateAsync(u => u.SetProperty(w => w.Secret, value)));

    [Fact]
    public async Task TheSecretShownToTheAdmin_IsStoredEncrypted_SoACopyOfTheStoreAloneSignsNothing_AndDeliveriesAreSignedWithIt()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await factory.SignedInClientAsync(Roles.Admin);
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        var secret = await admin.RegisterWebhookAsync(receiver.Url);

        var stored = await StoredSecretAsync();
        await editor.PublishAsync(await editor.WriteStoryAsync("Signed with a secret the store hides"));
        await factory.SendDueAsync();

        Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
        Assert.True(stored.Length > secret.Length * 2, stored);
        var request = Assert.Single(receiver.Requests);
        Assert.Equal(ExpectedSignature(secret, request.Header("X-NewsPortal-Timestamp"), request.Body), request.Header("X-NewsPortal-Signature"));
    }

    [Fact]
    public async Task ASecretStoredAsItIsByAnEarlierVersion_StillSigns_AndIsEncryptedAtTheNextStart()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await factory.SignedInClientAsync(Roles.Admin);
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        await admin.RegisterWebhookAsync(receiver.Url);
        const string Secret = "a-secret-stored-as-it-was-typed-0123456789";
        await StoreSecretAsync(Secret);

        await editor.PublishAsync(await editor.WriteStoryAsync("Signed before the start"));
        await factory.SendDueAsync();
        await DatabaseInitializer.InitializeAsync(factory.Services, seed: false);
        var afterTheStart = await StoredSecretAsync();
        await editor.PublishAsync(await editor.WriteStoryAsync("Signed after the start"));
        await factory.SendDueAsync();

        Assert.DoesNotContain(Secret, afterTheStart, StringComparison.Ordinal);
        Assert.Equal(2, receiver.Requests.Count);
        Assert.All(receiver.Requests, r => Assert.Equal(ExpectedSignature(Secret, r.Header("X-NewsPortal-Timestamp"), r.Body), r.Header("X-NewsPortal-Signature")));
    }

    [Fact]
    public async Task ASecretThisSiteCannotRead_AsInAStoreRestoredWithoutItsKeys_SendsNothingUnsigned_AndTellsTheAdminWhatToDo()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await factory.SignedInClientAsync(Roles.Admin);
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        await admin.RegisterWebhookAsync(receiver.Url);
        var stored = await StoredSecretAsync();
        // Encrypted by another site's keys: the same form, other bytes.
        await StoreSecretAsync(stored[..^8] + (stored[^8] == 'A' ? "BBBBBBBB" : "AAAAAAAA"));

        await editor.PublishAsync(await editor.WriteStoryAsync("Nobody can sign this"));
        var attempts = await factory.SendDueAsync();
        var page = await admin.GetDocumentAsync("/admin/webhooks");

        Assert.Equal(1, attempts);
        Assert.Empty(receiver.Requests);
        Assert.Equal(WebhookSecrets.UnreadableError, Assert.Single(await factory.DeliveriesAsync()).LastError);
        Assert.Contains(WebhookSecrets.UnreadableError, page.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AScheduledStory_AnnouncesItsPublicationWhenItsTimeComes()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await factory.SignedInClientAsync(Roles.Admin);
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        await admin.RegisterWebhookAsync(receiver.Url);
        var at = factory.Clock.GetUtcNow().UtcDateTime.AddHours(1).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);
        var editUrl = await editor.WriteStoryAsync("Embargoed until the hour");
        await editor.SubmitFormAsync(editUrl, new Dictionary<string, string?> { ["Form.Status"] = "Scheduled", ["Form.PublishAtUtc"] = at }, "#article-form");

        var beforeItsTime = await factory.SendDueAsync();
        factory.Clock.Advance(TimeSpan.FromHours(2));
        using var reader = await factory.CreateClient().GetAsync("/");
        var afterItsTime = await factory.SendDueAsync();

        Assert.Equal(0, beforeItsTime);
        Assert.Equal(1, afterItsTime);
        Assert.Equal("article.published", EventOf(Assert.Single(receiver.Requests)));
    }

    [Fact]
    public async Task ImportedStories_AnnounceWhatReadersNowSee_OnceEach_AndAnUnchangedImportNothing()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await factory.SignedInClientAsync(Roles.Admin);
        await admin.RegisterWebhookAsync(receiver.Url);
        using var input = new TempFolder();
        const string Headers = "Show on website : [x](https://example.org/imported-announced)\n\nexample.org";

        await factory.ImportAsync(input.Write("first.txt", TempFolder.Snippet("Imported and announced", "First text.", Headers)));
        await factory.ImportAsync(input.Write("again.txt", TempFolder.Snippet("Imported and announced", "First text.", Headers)));
        await factory.ImportAsync(input.Write("draft.jsonl", """{"title":"Imported as a draft","publishedOn":"2026-03-01","body":"Quiet.","status":"Draft"}"""));
        await factory.SendDueAsync();
        await factory.ImportAsync(input.Write("changed.txt", TempFolder.Snippet("Imported and announced", "Changed text.", Headers)));
        await factory.SendDueAsync();

        Assert.Equal(["article.published", "article.updated"], receiver.Requests.Select(EventOf));
    }

    [Fact]
    public async Task RestoringADeletedStory_AnnouncesItsPublicationAgain()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await factory.SignedInClientAsync(Roles.Admin);
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        await admin.RegisterWebhookAsync(receiver.Url);
        var editUrl = await editor.WriteStoryAsync("Deleted then restored", "Published");
        var id = editUrl.Split('/')[^1];
        await editor.SubmitFormAsync(editUrl, new Dictionary<string, string?>(), "form[action*='handler=Delete']");
        await admin.SubmitFormAsync("/admin?status=deleted", new Dictionary<string, string?>(), $"form[action*='id={id}']");
        await factory.SendDueAsync();

        Assert.Equal(["article.published", "article.unpublished", "article.published"], receiver.Requests.Select(EventOf));
    }

    [Fact]
    public async Task SavingADraftAsADraft_SendsNothing()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await factory.SignedInClientAsync(Roles.Admin);
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        await admin.RegisterWebhookAsync(receiver.Url);

        var editUrl = await editor.WriteStoryAsync("A draft nobody hears about");
        await editor.EditBodyAsync(editUrl, "Still a draft, reworded.");
        var attempts = await factory.SendDueAsync();

        Assert.Equal(0, attempts);
        Assert.Empty(await factory.DeliveriesAsync());
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task EditingAPublishedStory_SendsArticleUpdated_AndUnpublishingSendsArticleUnpublished()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await factory.SignedInClientAsync(Roles.Admin);
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        await admin.RegisterWebhookAsync(receiver.Url);

        var editUrl = await editor.WriteStoryAsync("A story that changes twice");
        await editor.PublishAsync(editUrl);
        await factory.SendDueAsync();
        await editor.EditBodyAsync(editUrl, "A corrected paragraph.");
        await factory.SendDueAsync();
        await editor.UnpublishAsync(editUrl);
        await factory.SendDueAsync();

        Assert.Equal(["article.published", "article.updated", "article.unpublished"], receiver.Requests.Select(r => r.Header("X-NewsPortal-Event")));
        Assert.Equal(["article.published", "article.updated", "article.unpublished"], receiver.Requests.Select(EventOf));
        Assert.Equal(3, receiver.Requests.Select(r => r.Header("X-NewsPortal-Delivery")).Distinct().Count());
        Assert.All(await factory.DeliveriesAsync(), d => Assert.Equal(DeliveryState.Delivered, d.State));
    }

    [Fact]
    public async Task AReceiverFailingTwice_IsRetriedWithGrowingWaits_AndGetsTheEventOnTheThirdAttempt()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await factory.SignedInClientAsync(Roles.Admin);
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        await admin.RegisterWebhookAsync(receiver.Url);
        receiver.FailNext(2);
        await editor.PublishAsync(await editor.WriteStoryAsync("A story for a flaky receiver"));

        var firstAt = factory.Clock.GetUtcNow().UtcDateTime;
        var first = await factory.SendDueAsync();
        var afterFirst = Assert.Single(await factory.DeliveriesAsync());
        var tooEarly = await factory.SendDueAsync();
        factory.Clock.Advance(TimeSpan.FromSeconds(10));
        var secondAt = factory.Clock.GetUtcNow().UtcDateTime;
        var second = await factory.SendDueAsync();
        var afterSecond = Assert.Single(await factory.DeliveriesAsync());
        factory.Clock.Advance(afterSecond.NextAttemptAtUtc - secondAt);
        var third = await factory.SendDueAsync();
        var afterThird = Assert.Single(await factory.DeliveriesAsync());

        Assert.Equal([1, 0, 1, 1], new[] { first, tooEarly, second, third });
        Assert.Equal(DeliveryState.Pending, afterFirst.State);
        Assert.Equal(1, afterFirst.Attempts);
        Assert.Equal(firstAt.AddSeconds(10), afterFirst.NextAttemptAtUtc);
        Assert.Contains("500", afterFirst.LastError);
        Assert.Equal(DeliveryState.Pending, afterSecond.State);
        Assert.Equal(2, afterSecond.Attempts);
        Assert.Equal(secondAt.AddSeconds(20), afterSecond.NextAttemptAtUtc);
        Assert.True(afterSecond.NextAttemptAtUtc - secondAt > afterFirst.NextAttemptAtUtc - firstAt, "the wait grows after each failure");
        Assert.Equal(DeliveryState.Delivered, afterThird.State);
        Assert.Equal(3, afterThird.Attempts);
        Assert.Equal([500, 500, 204], receiver.Requests.Select(r => r.AnsweredWith));
        Assert.Single(receiver.Requests.Select(r => r.Header("X-NewsPortal-Delivery")).Distinct());
    }

    [Fact]
    public async Task OneSubscriberThatCannotBeReached_DoesNotKeepTheOthersFromTheirEvents()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await factory.SignedInClientAsync(Roles.Admin);
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        await admin.RegisterWebhookAsync(WebhookReceiver.ClosedUrl());
        await admin.RegisterWebhookAsync(receiver.Url);

        await editor.PublishAsync(await editor.WriteStoryAsync("A story for two subscribers"));
        var attempts = await factory.SendDueAsync();
        var deliveries = await factory.DeliveriesAsync();

        Assert.Equal(2, attempts);
        Assert.Equal("article.published", Assert.Single(receiver.Requests).Header("X-NewsPortal-Event"));
        Assert.Equal([DeliveryState.Pending, DeliveryState.Delivered], deliveries.Select(d => d.State));
        Assert.False(string.IsNullOrEmpty(deliveries[0].LastError));
    }

    [Fact]
    public async Task APausedWebhook_HearsNothing_UntilItIsActivatedAgain()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await factory.SignedInClientAsync(Roles.Admin);
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        await admin.RegisterWebhookAsync(receiver.Url);
        var editUrl = await editor.WriteStoryAsync("A story told while paused");

        using var pause = await admin.SubmitFormAsync("/admin/webhooks", new Dictionary<string, string?>(), "form[action*='handler=Deactivate']");
        await editor.PublishAsync(editUrl);
        var whilePaused = await factory.SendDueAsync();
        using var activate = await admin.SubmitFormAsync("/admin/webhooks", new Dictionary<string, string?>(), "form[action*='handler=Activate']");
        await editor.EditBodyAsync(editUrl, "Told again, once active.");
        await factory.SendDueAsync();

        Assert.Equal(System.Net.HttpStatusCode.Redirect, pause.StatusCode);
        Assert.Equal(0, whilePaused);
        Assert.Equal("article.updated", Assert.Single(receiver.Requests).Header("X-NewsPortal-Event"));
    }
}

public sealed class WebhookGiveUpTests(ThreeAttemptWebhookFactory factory) : IClassFixture<ThreeAttemptWebhookFactory>
{
    [Fact]
    public async Task AnUnreachableReceiver_EndsFailedAfterMaxAttempts_AndTheAdminSeesWhy()
    {
        var admin = await factory.SignedInClientAsync(Roles.Admin);
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        await admin.RegisterWebhookAsync(WebhookReceiver.ClosedUrl());
        await editor.PublishAsync(await editor.WriteStoryAsync("A story nobody can receive"));

        var attempts = new List<int>();
        for (var pass = 0; pass < 4; pass++)
        {
            attempts.Add(await factory.SendDueAsync());
            factory.Clock.Advance(TimeSpan.FromHours(1));
        }

        var delivery = Assert.Single(await factory.DeliveriesAsync());
        var page = await admin.GetDocumentAsync("/admin/webhooks");

        Assert.Equal([1, 1, 1, 0], attempts);
        Assert.Equal(DeliveryState.Failed, delivery.State);
        Assert.Equal(3, delivery.Attempts);
        Assert.False(string.IsNullOrEmpty(delivery.LastError));
        var row = page.TextsOf("#deliveries tbody tr td");
        Assert.Contains("Failed", row);
        Assert.Contains(delivery.LastError, row);
    }
}

public sealed class WebhookSignatureTests
{
    [Fact]
    public void TheReadmeExample_IsSignedAsTheSenderSignsIt()
    {
        // The example in the README's Webhooks section, so receivers can check their code against a known answer.
        const string Body = """{"event":"article.published","occurredAt":"2026-03-01T12:00:00Z","article":{"slug":"delegations-return-to-istanbul","title":"Delegations return to Istanbul","url":"https://news.example.org/articles/delegations-return-to-istanbul","status":"Published","publishedOn":"2026-03-01","publishAt":"2026-03-01T12:00:00Z","updatedAt":"2026-03-01T12:00:00Z","language":"en"}}""";

        var signature = WebhookSender.Sign("sQCxgJBMsy-NloLQPMpg-njfOeXrLJL3PVVIsFVaKEU", 1772366400, Body);

        Assert.Equal("sha256=7cd8d956b24da407652ce16a156cb6154f2a486a6c1d85f1fc37eb0cd43d61c4", signature);
    }
}
