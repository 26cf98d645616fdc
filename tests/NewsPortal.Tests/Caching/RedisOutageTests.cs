using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Api;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Accounts;
using StackExchange.Redis;

namespace NewsPortal.Tests.Caching;

/// <summary>Redis away for a while: the site carries on from the store, and nothing cached before is served stale after.</summary>
public sealed class RedisOutageTests
{
    /// <summary>A node whose way to the run's Redis the test can cut.</summary>
    private sealed class RelayedRedisFactory : EditorialFactory
    {
        public RelayedRedisFactory()
        {
            var redis = TestStore.Redis!.Split(':');
            Relay = new TcpRelay(redis[0], int.Parse(redis[1], System.Globalization.CultureInfo.InvariantCulture));
        }

        public TcpRelay Relay { get; }

        public IConnectionMultiplexer Redis => Services.GetRequiredService<IConnectionMultiplexer>();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("ConnectionStrings:Redis", $"127.0.0.1:{Relay.Port},connectTimeout=1000");
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            await Relay.DisposeAsync();
        }
    }

    [RedisFact]
    public async Task AStorySavedWhileRedisWasAway_IsNeverServedFromACopyCachedBeforeIt()
    {
        await using var factory = new RelayedRedisFactory();
        var slug = await factory.AddArticleAsync(new ArticleBuilder().Titled("Bridge reopens after repairs").PublishedOn(2026, 2, 27));
        var reader = factory.CreatePlainClient();
        (await reader.GetAsync($"/articles/{slug}")).Dispose();
        using (var cached = await reader.GetAsync($"/articles/{slug}"))
        {
            Assert.NotNull(cached.Headers.Age);
        }

        factory.Relay.Cut();
        await WaitUntilAsync(() => !factory.Redis.IsConnected);
        var editor = await factory.TokenClientAsync(Roles.Editor);
        var version = (await editor.GetFromJsonAsync<JsonElement>($"/api/v1/articles/{slug}")).GetProperty("version").GetInt32();
        using (var saved = await editor.PutAsJsonAsync($"/api/v1/articles/{slug}", new { title = "Bridge stays shut after inspection", version }))
        {
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        }

        using (var whileAway = await reader.GetAsync($"/articles/{slug}"))
        {
            Assert.Contains("Bridge stays shut after inspection", await whileAway.Content.ReadAsStringAsync());
        }

        factory.Relay.Restore();
        await WaitUntilAsync(() => factory.Redis.IsConnected);
        using var after = await reader.GetAsync($"/articles/{slug}");

        var page = await after.Content.ReadAsStringAsync();
        Assert.Contains("Bridge stays shut after inspection", page);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var waited = 0; !condition(); waited += 100)
        {
            Assert.True(waited < 60_000, "Redis's connection did not change state within a minute");
            await Task.Delay(100);
        }
    }
}
