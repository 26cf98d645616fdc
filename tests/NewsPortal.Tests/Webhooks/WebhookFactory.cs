using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Webhooks;

namespace NewsPortal.Tests.Webhooks;

/// <summary>
/// The editorial app with the webhook loop turned off (Webhooks:Enabled=false), so a test decides when a sending pass
/// runs (<see cref="SendDueAsync"/>) and moves the fake clock to make retries due; nothing is sent behind its back.
/// </summary>
public class WebhookFactory : EditorialFactory
{
    protected virtual int MaxAttempts => 8;

    protected virtual bool LoopEnabled => false;

    /// <summary>One sending pass, as the background loop runs every Webhooks:PollSeconds; returns the attempts it made.</summary>
    public Task<int> SendDueAsync() => Services.GetRequiredService<WebhookSender>().SendDueAsync();

    public Task<List<WebhookDelivery>> DeliveriesAsync()
        => WithDbAsync(db => db.WebhookDeliveries.AsNoTracking().OrderBy(d => d.Id).ToListAsync());

    /// <summary>Removes every subscription (their deliveries go with them), so each test starts with none.</summary>
    public Task<int> ForgetWebhooksAsync() => WithDbAsync(db => db.WebhookSubscriptions.ExecuteDeleteAsync());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Webhooks:Enabled", LoopEnabled ? "true" : "false");
        builder.UseSetting("Webhooks:MaxAttempts", MaxAttempts.ToString(CultureInfo.InvariantCulture));
    }
}

/// <summary>Gives up after three attempts, so a receiver that never answers runs out of them quickly.</summary>
public sealed class ThreeAttemptWebhookFactory : WebhookFactory
{
    protected override int MaxAttempts => 3;
}

/// <summary>The background loop left on, as in production, to show it sends with nobody asking.</summary>
public sealed class LoopingWebhookFactory : WebhookFactory
{
    protected override bool LoopEnabled => true;
}
