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

    /// <summary>The receivers these tests start listen on loopback, which is refused unless allowed, as an operator would.</summary>
    protected virtual bool AllowLoopback => true;

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
        if (AllowLoopback)
        {
            // As an operator would write it in one environment variable: networks separated by commas.
            builder.UseSetting("Webhooks:AllowedNetworks", "10.9.0.0/16, 127.0.0.1/32");
        }
    }
}

/// <summary>As installed: no internal network allowed.</summary>
public sealed class PublicOnlyWebhookFactory : WebhookFactory
{
    protected override bool AllowLoopback => false;
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
