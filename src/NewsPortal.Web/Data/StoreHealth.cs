using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace NewsPortal.Web.Data;

/// <summary>
/// What a load balancer asks: <c>/health/live</c> (the process answers) and <c>/health/ready</c> (the store answers
/// with every migration applied, and Redis answers when the node uses it). Neither is cached or rate limited. And
/// what a request is told while the store is out of reach.
/// </summary>
public static class StoreHealth
{
    /// <summary>How long a client is asked to wait (<c>Retry-After</c>) when the store did not answer.</summary>
    public const int RetryAfterSeconds = 5;

    private const string Ready = "ready";

    /// <summary>A probe answers within this, whatever part hangs: load balancers give up on a probe after a few seconds.</summary>
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(2);

    public static IServiceCollection AddStoreHealth(this IServiceCollection services, StoreSettings store)
    {
        var checks = services.AddHealthChecks().AddCheck<StoreCheck>("store", tags: [Ready], timeout: CheckTimeout);
        if (store.Redis is not null)
        {
            checks.AddCheck<RedisCheck>("redis", tags: [Ready], timeout: CheckTimeout);
        }

        return services;
    }

    /// <summary>
    /// The status for a request that failed with <paramref name="exception"/>: 507 when the store's disk is full, 503 when
    /// the store, or Redis where the node keeps its key ring (a sign-in page needs it for its antiforgery token), was
    /// out of reach.
    /// </summary>
    public static int StatusCodeFor(Exception exception)
        => StoreDialect.IsOutOfSpace(exception) ? StatusCodes.Status507InsufficientStorage
            : StoreDialect.IsUnavailable(exception) || StoreDialect.CausesOf(exception).Any(e => e is RedisException or RedisTimeoutException)
                ? StatusCodes.Status503ServiceUnavailable
                : StatusCodes.Status500InternalServerError;

    /// <summary>Why a save was not made when another writer held what it changes past its wait (a clause, after a colon).</summary>
    public const string HeldByAnotherWriter = "another writer is holding the store (most likely an import that is still running)";

    /// <summary>What a reader or editor is told when the store's disk is full.</summary>
    public const string OutOfSpace = "The store's disk is full, so nothing was saved. An administrator needs to free space on it; reading carries on.";


    /// <summary>Asks the client to come back (<c>Retry-After</c>), on a 503 whose cause passes.</summary>
    public static void AskToComeBack(HttpResponse response)
        => response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);

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
            if (!redis.IsConnected)
            {
                return HealthCheckResult.Unhealthy("Redis is not connected.");
            }

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
