using System.IO.Compression;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Options;
using NewsPortal.Web.Articles;
using NewsPortal.Web.Data;

namespace NewsPortal.Web.Caching;

/// <summary>The output cache, compression and conditional GET, and the scheduled publishing that keeps what they serve current.</summary>
public static class CachingServices
{
    public static IServiceCollection AddNewsPortalCaching(this IServiceCollection services, StoreSettings store)
    {
        services.AddOptions<CacheOptions>().BindConfiguration(CacheOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CacheGeneration>();
        services.AddScoped<PageCache>();
        services.AddSingleton<CacheListener>();
        services.AddHostedService(provider => provider.GetRequiredService<CacheListener>());
        services.AddSingleton<PublishSchedule>();
        services.AddHostedService(provider => provider.GetRequiredService<PublishSchedule>());
        services.AddSingleton<BodyRenderer>();
        services.AddHostedService(provider => provider.GetRequiredService<BodyRenderer>());
        services.AddOutputCache();
        if (store.Redis is { } redis)
        {
            // Nodes share one cache: a page rendered on one is served by all, and an eviction by tag (a save, an
            // import) empties it everywhere at once.
            services.AddStackExchangeRedisOutputCache(options =>
            {
                options.InstanceName = store.RedisPrefix + "pages:";
                options.ConnectionMultiplexerFactory = () => Task.FromResult(redis.Value);
            });
            var redisStore = services.Last(d => d.ServiceType == typeof(IOutputCacheStore));
            services.Remove(redisStore);
            services.AddSingleton<IOutputCacheStore>(provider => new ResilientCacheStore(
                (IOutputCacheStore)(redisStore.ImplementationFactory?.Invoke(provider) ?? ActivatorUtilities.CreateInstance(provider, redisStore.ImplementationType!)),
                redis.Value, provider.GetRequiredService<ILogger<ResilientCacheStore>>()));
        }

        services.AddOptions<Microsoft.AspNetCore.OutputCaching.OutputCacheOptions>().Configure<IOptions<CacheOptions>>((output, cache) =>
        {
            output.SizeLimit = cache.Value.SizeLimitMegabytes * 1024L * 1024L;
            output.DefaultExpirationTimeSpan = TimeSpan.FromSeconds(cache.Value.DurationSeconds);
            output.AddBasePolicy(policy => policy.AddPolicy<PortalCachePolicy>());
        });
        services.AddResponseCompression(options =>
        {
            // Only anonymous pages are compressed (see UseNewsPortalCompression), so no secret shares a response with reflected input.
            options.EnableForHttps = true;
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
            options.MimeTypes = ResponseCompressionDefaults.MimeTypes.Concat(
            [
                "application/atom+xml", "application/rss+xml", "application/feed+json", "application/opensearchdescription+xml", "application/problem+json",
            ]);
        });
        services.Configure<BrotliCompressionProviderOptions>(options => options.Level = CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(options => options.Level = CompressionLevel.Fastest);
        return services;
    }

    /// <summary>
    /// Straight after routing and the rate limits: publishes what has come due, then serves from the output cache, so
    /// a copy is sent without the time limits, store hooks and authentication a render needs (see
    /// <see cref="PortalCachePolicy"/> for how a signed-in request is told apart without them).
    /// </summary>
    public static IApplicationBuilder UseNewsPortalCache(this IApplicationBuilder app)
    {
        var schedule = app.ApplicationServices.GetRequiredService<PublishSchedule>();
        app.Use(async (context, next) =>
        {
            if (schedule.IsDue)
            {
                await schedule.PublishDueAsync(context.RequestAborted);
            }

            await next(context);
        });

        // The cache renders a page once for every reader asking for it at that moment. When the reader whose request
        // renders it goes away, the render is cancelled, and ASP.NET Core (10.0.12) hands that cancellation to every
        // reader waiting on it: a 500 for readers still there (the scale-out test's probe got one as wrk's clients
        // closed). Their own requests were not cancelled, so each renders the page again itself. Not by waiting on the
        // page's render once more: the cache hands the cancellation to its waiters before it forgets the cancelled
        // render, so a reader asking again at once can be handed the same cancellation, three times running on a loaded
        // machine (SharedRenderTests failed so once in about six runs of its group). Only reads are answered again: a
        // write is never run twice.
        app.Use(async (context, next) =>
        {
            if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
            {
                await next(context);
                return;
            }

            try
            {
                await next(context);
            }
            catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted)
            {
                PortalCachePolicy.RenderAlone(context);
                await next(context);
            }
        });
        return app.UseOutputCache();
    }

    /// <summary>
    /// After authentication, inside the cache: compresses anonymous responses and gives them a validator, so the cache
    /// stores them compressed and with their ETag.
    /// </summary>
    public static IApplicationBuilder UseNewsPortalCompression(this IApplicationBuilder app)
    {
        app.UseWhen(
            context => context.User.Identity?.IsAuthenticated != true
                && !context.Request.Path.StartsWithSegments("/admin")
                && !context.Request.Path.StartsWithSegments("/account"),
            compressed => compressed.UseResponseCompression());
        return app.UseMiddleware<ConditionalGetMiddleware>();
    }
}
