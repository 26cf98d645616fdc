using System.Net;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Webhooks;

namespace NewsPortal.Tests.Webhooks;

/// <summary>Webhooks cannot be aimed inward: not at registration, and not at connection time either.</summary>
public sealed class WebhookTargetTests(PublicOnlyWebhookFactory factory) : IClassFixture<PublicOnlyWebhookFactory>, IAsyncLifetime
{
    public async Task InitializeAsync() => await factory.ForgetWebhooksAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    // Checked against the filter only: nothing here ever opens a connection to these addresses.
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.5.4")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.251")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("64:ff9b::7f00:1")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("2002:7f00:1::")]
    [InlineData("2002:a00:1::1")]
    [InlineData("::127.0.0.1")]
    [InlineData("::ffff:0:7f00:1")]
    [InlineData("100::1")]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2")]
    public void InternalAddresses_AreRefused(string address)
        => Assert.False(WebhookTargets.From(new WebhookOptions()).IsAllowed(IPAddress.Parse(address)));

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("203.0.113.10")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("64:ff9b::5db8:d70e")]
    [InlineData("2002:5db8:d70e::1")]
    public void PublicAddresses_AreAllowed(string address)
        => Assert.True(WebhookTargets.From(new WebhookOptions()).IsAllowed(IPAddress.Parse(address)));

    [Theory]
    [InlineData("https://hooks.example.org/services/T0001/B0001/SECRETPATHTOKEN?token=QUERYSECRET", "https://hooks.example.org")]
    [InlineData("http://93.184.215.14:8080/hook#frag", "http://93.184.215.14:8080")]
    public void ASubscribersAddressInTheLogs_IsItsSchemeAndHostOnly_SinceReceiversKeepTokensInThePathOrQuery(string url, string logged)
        => Assert.Equal(logged, WebhookSender.ForLogs(url));

    [Fact]
    public void AnAllowedNetwork_LetsItsAddressesThrough_AndNoOthers()
    {
        var targets = WebhookTargets.From(new WebhookOptions { AllowedNetworks = ["10.1.2.0/24"] });

        Assert.True(targets.IsAllowed(IPAddress.Parse("10.1.2.3")));
        Assert.False(targets.IsAllowed(IPAddress.Parse("10.1.3.3")));
        Assert.False(targets.IsAllowed(IPAddress.Parse("127.0.0.1")));
    }

    [Theory]
    [InlineData("http://127.0.0.1:8097/hook")]
    [InlineData("http://2130706433:8097/")]
    [InlineData("http://0x7f.1/")]
    [InlineData("http://localhost/")]
    [InlineData("http://[::1]:5302/admin")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://10.0.0.1/")]
    [InlineData("http://127.0.0.1:22/")]
    [InlineData("http://[::ffff:7f00:1]/")]
    public async Task RegisteringAnInternalAddress_IsAFormError_AndAddsNothing(string address)
    {
        var admin = await factory.SignedInClientAsync(Roles.Admin);

        using var add = await admin.SubmitFormAsync("/admin/webhooks", new Dictionary<string, string?> { ["Address"] = address }, "#add-webhook");
        var page = await add.ReadDocumentAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, add.StatusCode);
        Assert.Contains("public addresses only", page.TextOf("#add-webhook .field-error"));
        Assert.Empty(page.QuerySelectorAll("#subscriptions tbody tr"));
    }

    [Fact]
    public async Task AnAddressThatTurnsInternalAfterRegistering_IsRefusedAtConnection()
    {
        // As if its name now resolved to loopback (DNS rebinding): the subscription is already in the store.
        await using var receiver = await WebhookReceiver.StartAsync();
        await factory.WithDbAsync(async db =>
        {
            db.WebhookSubscriptions.Add(new WebhookSubscription { Url = receiver.Url, Secret = "secret", CreatedBy = "test", CreatedAtUtc = factory.Clock.GetUtcNow().UtcDateTime });
            return await db.SaveChangesAsync();
        });
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        await editor.WriteStoryAsync("Rebinding story", nameof(ArticleStatus.Published));

        await factory.SendDueAsync();
        var delivery = Assert.Single(await factory.DeliveriesAsync());
        var admin = await factory.SignedInClientAsync(Roles.Admin);
        var page = await admin.GetDocumentAsync("/admin/webhooks");

        Assert.Empty(receiver.Requests);
        Assert.Equal("Refused: the address is not a public one", delivery.LastError);
        Assert.Contains("Refused: the address is not a public one", page.TextOf("#deliveries"));
    }
}
