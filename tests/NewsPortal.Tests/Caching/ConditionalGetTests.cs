using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using NewsPortal.Tests.Infrastructure;
using NewsPortal.Web.Data;

namespace NewsPortal.Tests.Caching;

/// <summary>The app as installed: output cache on, the seed loaded, every command it sends recorded.</summary>
public sealed class ConditionalGetFixture : NewsPortalFactory
{
    public SqlCapture Sql { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.ConfigureDbContext<NewsDbContext>(options => options.AddInterceptors(Sql)));
    }
}

/// <summary>Validators, 304s, compression, and a cached page that costs the store nothing.</summary>
public sealed class ConditionalGetTests(ConditionalGetFixture factory) : IClassFixture<ConditionalGetFixture>
{
    public static TheoryData<string> Pages =>
    [
        "/", "/articles/" + Seed.Slug, "/categories/snippets", "/sources/anadolu-agency", "/search?q=istanbul", "/archive",
        "/feed.atom", "/feed.rss", "/feed.json", "/sitemap.xml", "/sitemaps/news.xml", "/api/v1/articles",
    ];

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task EveryPageAndFeed_HasAValidator_AndAnswersAMatchingIfNoneMatchWith304(string url)
    {
        var client = factory.CreatePlainClient();
        using var first = await client.GetAsync(url);
        var etag = first.Headers.ETag;
        using var again = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { IfNoneMatch = { etag! } } };
        using var notModified = await client.SendAsync(again);
        using var changedRequest = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { IfNoneMatch = { new EntityTagHeaderValue("\"something-else\"") } } };
        using var changed = await client.SendAsync(changedRequest);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.NotNull(etag);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await changed.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("br", "br")]
    [InlineData("gzip", "gzip")]
    [InlineData("gzip, deflate, br", "br")]
    [InlineData("br;q=0.5, gzip", "gzip")]
    public async Task PagesAndFeeds_AreCompressedAsTheClientAccepts_EachWayCachedApart(string acceptEncoding, string expected)
    {
        using var handler = factory.Server.CreateHandler();
        using var client = new HttpClient(new DecompressingHandler(handler)) { BaseAddress = factory.Server.BaseAddress };
        client.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        using var plainClient = factory.CreatePlainClient();

        foreach (var url in new[] { "/", "/feed.atom", "/sitemaps/pages.xml", "/api/v1/categories" })
        {
            using var compressed = await client.GetAsync(url);
            using var plain = await plainClient.GetAsync(url);

            Assert.Equal(expected, Assert.Single(compressed.Content.Headers.ContentEncoding));
            Assert.Empty(plain.Content.Headers.ContentEncoding);
            Assert.Equal(await plain.Content.ReadAsStringAsync(), await compressed.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task CachedPage_IsServedWithoutAskingTheStore()
    {
        var client = factory.CreatePlainClient();
        await client.GetAsync("/categories/snippets");

        using var capture = factory.Sql.Begin();
        using var cached = await client.GetAsync("/categories/snippets");

        Assert.NotNull(cached.Headers.Age);
        Assert.Empty(capture.Commands);
    }

    /// <summary>Decompresses what the server sent, so the test can compare it with the plain page.</summary>
    private sealed class DecompressingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            var encoding = response.Content.Headers.ContentEncoding.FirstOrDefault();
            if (encoding is null)
            {
                return response;
            }

            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            using var input = new MemoryStream(bytes);
            using Stream decoder = encoding == "br"
                ? new System.IO.Compression.BrotliStream(input, System.IO.Compression.CompressionMode.Decompress)
                : new System.IO.Compression.GZipStream(input, System.IO.Compression.CompressionMode.Decompress);
            using var output = new MemoryStream();
            await decoder.CopyToAsync(output, cancellationToken);
            var content = new ByteArrayContent(output.ToArray());
            foreach (var header in response.Content.Headers)
            {
                content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            response.Content = content;
            return response;
        }
    }
}

/// <summary>The app with <c>Cache:Enabled=false</c>, as the benchmark's uncached column runs it.</summary>
public sealed class UncachedFactory : NewsPortalFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Cache:Enabled", "false");
    }
}

public sealed class CacheSwitchTests(UncachedFactory factory) : IClassFixture<UncachedFactory>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/feed.atom")]
    [InlineData("/articles/" + Seed.Slug)]
    public async Task WithTheCacheOff_EveryRequestIsRendered_AndStillHasItsValidator(string url)
    {
        var client = factory.CreatePlainClient();
        await client.GetAsync(url);

        using var again = await client.GetAsync(url);
        using var conditional = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { IfNoneMatch = { again.Headers.ETag! } } };
        using var notModified = await client.SendAsync(conditional);

        Assert.Null(again.Headers.Age);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }
}
