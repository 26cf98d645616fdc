using System.Net;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;

namespace NewsPortal.Tests.Webhooks;

public sealed class WebhookAdminTests(WebhookFactory factory) : IClassFixture<WebhookFactory>, IAsyncLifetime
{
    public async Task InitializeAsync() => await factory.ForgetWebhooksAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Editors_AreRefusedTheWebhooksPage_AndNotShownItsLink()
    {
        var editor = await factory.SignedInClientAsync(Roles.Editor);

        using var get = await editor.GetAsync("/admin/webhooks");
        var nav = await editor.GetDocumentAsync("/admin");

        Assert.Equal(HttpStatusCode.Forbidden, get.StatusCode);
        Assert.DoesNotContain("/admin/webhooks", nav.QuerySelectorAll(".admin-nav a").Select(a => a.GetAttribute("href")));
    }

    [Theory]
    [InlineData("ftp://x", "http or https")]
    [InlineData("not a url", "http or https")]
    [InlineData("http://93.184.215.14:99999/hook", "could not be read: check its host name, and its port")]
    [InlineData("https://exa mple.org/hook", "could not be read: check its host name")]
    [InlineData("", "Enter the address")]
    public async Task ABadAddress_IsAFormErrorNextToTheField_AndAddsNothing(string address, string error)
    {
        var admin = await factory.SignedInClientAsync(Roles.Admin);

        using var add = await admin.SubmitFormAsync("/admin/webhooks", new Dictionary<string, string?> { ["Address"] = address }, "#add-webhook");
        var page = await add.ReadDocumentAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, add.StatusCode);
        Assert.Contains(error, page.TextOf("#add-webhook .field-error"));
        Assert.Empty(page.QuerySelectorAll("#subscriptions tbody tr"));
    }

    [Fact]
    public async Task AnAddressOfFewerCharactersButMoreBytesThanTheLimit_IsAFormError()
    {
        var admin = await factory.SignedInClientAsync(Roles.Admin);
        // 1,121 characters, 2,221 bytes: over what the address's unique index keeps on PostgreSQL, were it longer still.
        var address = "https://203.0.113.10/" + new string('é', 1100);

        using var add = await admin.SubmitFormAsync("/admin/webhooks", new Dictionary<string, string?> { ["Address"] = address }, "#add-webhook");
        var page = await add.ReadDocumentAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, add.StatusCode);
        Assert.Contains("longer than 2,048 characters (or bytes", page.TextOf("#add-webhook .field-error"));
        Assert.Empty(page.QuerySelectorAll("#subscriptions tbody tr"));
    }

    [Fact]
    public async Task DeletingOneWebhookFromManyTabsAtOnce_DeletesItOnce_AndTheRestAreToldItIsGone()
    {
        var admin = await factory.SignedInClientAsync(Roles.Admin);
        await admin.RegisterWebhookAsync("https://203.0.113.10/deleted-at-once");

        var results = await admin.SubmitFormAtOnceAsync("/admin/webhooks", "form[action*='handler=Delete']", 10);
        var audit = await admin.GetDocumentAsync("/admin/audit");

        Assert.Single(results, s => s == HttpStatusCode.Redirect);
        Assert.All(results.Where(s => s != HttpStatusCode.Redirect), s => Assert.Equal(HttpStatusCode.NotFound, s));
        Assert.Single(audit.QuerySelectorAll(".admin-table tbody tr"), r => r.QuerySelectorAll("td")[2].TextContent == "delete webhook"
            && r.QuerySelectorAll("td")[3].TextContent == "https://203.0.113.10/deleted-at-once");
    }

    [Fact]
    public async Task AnAdminAddsAndDeletesAWebhook_TheSecretIsShownOnce_AndBothAreAudited()
    {
        var admin = await factory.SignedInClientAsync(Roles.Admin);

        var secret = await admin.RegisterWebhookAsync("https://203.0.113.10/newsportal?token=abc");
        var again = await admin.GetDocumentAsync("/admin/webhooks");
        using var delete = await admin.SubmitFormAsync("/admin/webhooks", new Dictionary<string, string?>(), "form[action*='handler=Delete']");
        var afterDelete = await admin.GetDocumentAsync("/admin/webhooks");
        var audit = await admin.GetDocumentAsync("/admin/audit");

        Assert.Matches("^[A-Za-z0-9_-]{43}$", secret);
        Assert.Empty(again.QuerySelectorAll("#new-secret"));
        Assert.Equal("https://203.0.113.10/newsportal?token=abc", again.TextOf("#subscriptions tbody td"));
        Assert.Equal(HttpStatusCode.Redirect, delete.StatusCode);
        Assert.Empty(afterDelete.QuerySelectorAll("#subscriptions tbody tr"));
        var entries = audit.QuerySelectorAll(".admin-table tbody tr").Select(r => r.QuerySelectorAll("td").Select(td => td.TextContent).ToArray()).ToList();
        Assert.Contains(entries, e => e[2] == "add webhook" && e[3] == "https://203.0.113.10/newsportal?token=abc");
        Assert.Contains(entries, e => e[2] == "delete webhook" && e[3] == "https://203.0.113.10/newsportal?token=abc");
    }

    [Fact]
    public async Task TheSameAddressTwice_IsAFormError()
    {
        var admin = await factory.SignedInClientAsync(Roles.Admin);
        await admin.RegisterWebhookAsync("https://203.0.113.10/twice");

        using var again = await admin.SubmitFormAsync("/admin/webhooks", new Dictionary<string, string?> { ["Address"] = "https://203.0.113.10/twice" }, "#add-webhook");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
        Assert.Contains("already registered", (await again.ReadDocumentAsync()).TextOf("#add-webhook .field-error"));
    }
}

public sealed class WebhookLoopTests(LoopingWebhookFactory factory) : IClassFixture<LoopingWebhookFactory>
{
    [Fact]
    public async Task TheBackgroundLoop_SendsEachPollInterval_WithNobodyAsking()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await factory.SignedInClientAsync(Roles.Admin);
        var editor = await factory.SignedInClientAsync(Roles.Editor);
        await admin.RegisterWebhookAsync(receiver.Url);

        await editor.PublishAsync(await editor.WriteStoryAsync("A story the loop sends"));
        // The loop waits on the fake clock: move it a poll interval at a time until the event arrives (or 20 real seconds pass).
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (receiver.Requests.Count == 0 && waited.Elapsed < TimeSpan.FromSeconds(20))
        {
            factory.Clock.Advance(TimeSpan.FromSeconds(2));
            await Task.Delay(50);
        }

        Assert.Equal("article.published", Assert.Single(receiver.Requests).Header("X-NewsPortal-Event"));
    }
}

/// <summary>Reads of the subscribers' addresses take a moment longer, so that saves made at once overlap.</summary>
public sealed class SlowAddressCheckFactory : WebhookFactory
{
    private sealed class SlowAddressCheck : Microsoft.EntityFrameworkCore.Diagnostics.DbCommandInterceptor
    {
        public override async ValueTask<System.Data.Common.DbDataReader> ReaderExecutedAsync(
            System.Data.Common.DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandExecutedEventData eventData,
            System.Data.Common.DbDataReader result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains("FROM \"WebhookSubscriptions\"", StringComparison.Ordinal) && command.CommandText.Contains("\"Url\" =", StringComparison.Ordinal))
            {
                await Task.Delay(100, cancellationToken);
            }

            return result;
        }
    }

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        Microsoft.AspNetCore.TestHost.WebHostBuilderExtensions.ConfigureTestServices(builder, services => services
            .ConfigureDbContext<NewsPortal.Web.Data.NewsDbContext>(options => options.AddInterceptors(new SlowAddressCheck()))
            .ConfigureDbContext<NewsPortal.Web.Data.PostgresNewsDbContext>(options => options.AddInterceptors(new SlowAddressCheck())));
    }
}

public sealed class WebhookRaceTests(SlowAddressCheckFactory factory) : IClassFixture<SlowAddressCheckFactory>
{
    [Fact]
    public async Task AdminsAddingOneAddressAtOnce_StoreItOnce()
    {
        for (var round = 0; round < 3; round++)
        {
            var url = $"https://203.0.113.10/at-once-{round}";
            // On threads of their own: SQLite's client answers "async" calls synchronously, which would run them in turn.
            var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                await using var scope = factory.Services.CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<NewsPortal.Web.Webhooks.WebhookService>().AddAsync(url, "admin@example.org");
            })));

            Assert.Single(results, r => r.Added is not null);
            Assert.All(results.Where(r => r.Added is null), r => Assert.Equal("That address is already registered.", r.Problem));
            Assert.Equal(1, await factory.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.WebhookSubscriptions, s => s.Url == url)));
        }
    }
}
