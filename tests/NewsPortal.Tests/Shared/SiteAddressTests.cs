using Microsoft.AspNetCore.Hosting;
using NewsPortal.Tests.Infrastructure;

namespace NewsPortal.Tests.Shared;

/// <summary>The site's address as configured, in Production.</summary>
public sealed class ConfiguredAddressFactory : NewsPortalFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
        builder.UseSetting("Portal:PublicBaseUrl", "https://news.example.org");
    }
}

/// <summary>Production with no address configured.</summary>
public sealed class UnconfiguredAddressFactory : NewsPortalFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
    }
}

public sealed class SiteAddressTests(ConfiguredAddressFactory factory) : IClassFixture<ConfiguredAddressFactory>
{
    [Theory]
    [InlineData("/robots.txt")]
    [InlineData("/feed.atom")]
    [InlineData("/sitemap.xml")]
    [InlineData("/opensearch.xml")]
    [InlineData("/")]
    public async Task AForgedHostHeader_IsNotRepeatedInLinks(string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Host = "evil.test";

        using var response = await factory.CreateClient().SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.IsSuccessStatusCode, $"{url} answered {response.StatusCode}");
        Assert.DoesNotContain("evil.test", text);
        Assert.Contains("https://news.example.org/", text);
    }

    [Fact]
    public void Production_WithoutTheSiteAddress_RefusesToStart_SayingWhatToSet()
    {
        using var unconfigured = new UnconfiguredAddressFactory();

        var error = Assert.ThrowsAny<Exception>(() => unconfigured.CreateClient());

        Assert.Contains("Portal:PublicBaseUrl", error.ToString());
    }
}
