using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using NewsPortal.Tests.Infrastructure;

namespace NewsPortal.Tests.Data;

/// <summary>The load balancer's probes: live while the process answers, ready only while the store (and Redis) can serve.</summary>
public sealed class HealthTests
{
    [Fact]
    public async Task AStartedNode_IsLiveAndReady()
    {
        using var factory = new NewsPortalFactory();
        var client = factory.CreateClient();

        using var live = await client.GetAsync("/health/live");
        using var ready = await client.GetAsync("/health/ready");
        var report = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", report.GetProperty("checks").GetProperty("store").GetProperty("status").GetString());
    }

    [Fact]
    public async Task AStoreMissingAMigration_IsNotReady_AndSaysWhichMigration()
    {
        using var factory = new NewsPortalFactory();
        var client = factory.CreateClient();
        var last = await factory.WithDbAsync(db => Task.FromResult(db.Database.GetAppliedMigrations().Last()));
        await factory.WithDbAsync(db => db.Database.ExecuteSqlAsync($"""DELETE FROM "__EFMigrationsHistory" WHERE "MigrationId" = {last}"""));

        using var live = await client.GetAsync("/health/live");
        using var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains(last, await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ANodeWhoseRedisIsDown_IsLiveButNotReady()
    {
        using var factory = new RedisDownFactory();
        var client = factory.CreateClient();

        using var live = await client.GetAsync("/health/live");
        using var ready = await client.GetAsync("/health/ready");
        var report = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", report.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString());
        Assert.Equal("Healthy", report.GetProperty("checks").GetProperty("store").GetProperty("status").GetString());
    }

    /// <summary>Redis configured on a port nothing listens on.</summary>
    private sealed class RedisDownFactory : NewsPortalFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("ConnectionStrings:Redis", "127.0.0.1:1,connectTimeout=500,abortConnect=false");
        }
    }
}
