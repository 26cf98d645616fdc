using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace NewsPortal.Web.Data;

/// <summary>
/// What a load balancer asks: <c>/health/live</c> (the process answers) and <c>/health/ready</c> (the store answers
/// with every migration applied, and Redis answers when the node uses it). Neither is cached or rate limited.
/// </summary>
public static class StoreHealth
{
    private const string Ready = "ready";

    public static IServiceCollection AddStoreHealth(this IServiceCollection services, StoreSettings store)
    {
        var checks = services.AddHealthChecks().AddCheck<StoreCheck>("store", tags: [Ready]);
        if (store.Redis is not null)
        {
            checks.AddCheck<RedisCheck>("redis", tags: [Ready]);
        }

        return services;
    }

    public static IEndpointRouteBuilder MapStoreHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).DisableHttpMetrics();
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(Ready),
            ResponseWriter = WriteAsync,
        });
        return endpoints;
    }

    /// <summary>The status and each check's finding, so whoever reads a failing probe sees which part is down.</summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        });
    }

    private sealed class StoreCheck(NewsDbContext db) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
                return pending.Count == 0
                    ? HealthCheckResult.Healthy("The store answers and its migrations are applied.")
                    : HealthCheckResult.Unhealthy($"{pending.Count} migration(s) not applied yet, first {pending[0]}.");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return HealthCheckResult.Unhealthy("The store does not answer.", ex);
            }
        }
    }

    private sealed class RedisCheck(IConnectionMultiplexer redis) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var latency = await redis.GetDatabase().PingAsync();
                return HealthCheckResult.Healthy($"Redis answers in {latency.TotalMilliseconds:0.0} ms.");
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy("Redis does not answer.", ex);
            }
        }
    }
}
