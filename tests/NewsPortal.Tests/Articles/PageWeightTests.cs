using NewsPortal.Tests.Infrastructure;

namespace NewsPortal.Tests.Articles;

public sealed class PageWeightTests(NewsPortalFactory factory) : IClassFixture<NewsPortalFactory>
{
    [Fact]
    public async Task HomePage_WithEverythingItLoads_WeighsUnder100KilobytesBeforeCompression()
    {
        var client = factory.CreateClient();
        using var home = await client.GetAsync("/");
        var html = await home.Content.ReadAsByteArrayAsync();
        var page = await client.GetDocumentAsync("/");
        var assets = page.QuerySelectorAll("link[rel=stylesheet], link[rel=icon], script[src], img[src]")
            .Select(e => e.GetAttribute("href") ?? e.GetAttribute("src")!)
            .ToList();

        long total = html.Length;
        foreach (var asset in assets)
        {
            total += (await client.GetByteArrayAsync(asset)).Length;
        }

        Assert.NotEmpty(assets);
        Assert.True(total < 100 * 1024, $"The home page and its {assets.Count} assets weigh {total:N0} bytes.");
    }

    /// <remarks>
    /// A built (not published) app serves assets with no-cache so edits show at once; a published app serves the
    /// headers in the static assets manifest, which is what this reads.
    /// </remarks>
    [Fact]
    public async Task StaticAssets_AreFingerprinted_AndMarkedToBeCachedForAYear()
    {
        var client = factory.CreateClient();
        var page = await client.GetDocumentAsync("/");
        var css = page.QuerySelector("link[rel=stylesheet]")!.GetAttribute("href")!;
        var script = page.QuerySelector("script[src]")!.GetAttribute("src")!;
        using var manifest = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "NewsPortal.Web.staticwebassets.endpoints.json")));

        foreach (var url in new[] { css, script })
        {
            using var response = await client.GetAsync(url);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.Matches(@"\.[a-z0-9]{8,}\.(css|js)$", url);
            var endpoint = manifest.RootElement.GetProperty("Endpoints").EnumerateArray()
                .First(e => "/" + e.GetProperty("Route").GetString() == url && e.GetProperty("Selectors").GetArrayLength() == 0);
            var cacheControl = endpoint.GetProperty("ResponseHeaders").EnumerateArray()
                .Single(h => h.GetProperty("Name").GetString() == "Cache-Control").GetProperty("Value").GetString();
            Assert.Equal("max-age=31536000, immutable", cacheControl);
        }
    }
}
