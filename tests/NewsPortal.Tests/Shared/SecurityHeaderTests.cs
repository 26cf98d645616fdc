using NewsPortal.Tests.Infrastructure;

namespace NewsPortal.Tests.Shared;

public sealed class SecurityHeaderTests(NewsPortalFactory factory) : IClassFixture<NewsPortalFactory>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/articles/russia-ukraine-resume-peace-talks-in-istanbul-after-three-years")]
    [InlineData("/no-such-page")]
    [InlineData("/search?q=istanbul")]
    [InlineData("/account/login")]
    [InlineData("/admin")]
    [InlineData("/feed.atom")]
    [InlineData("/sitemap.xml")]
    [InlineData("/api/v1/articles")]
    [InlineData("/api/v1/no-such-thing")]
    [InlineData("/css/site.css")]
    public async Task EveryResponse_CarriesTheSecurityHeaders_AndAPolicyWithoutInlineScript(string url)
    {
        using var response = await factory.CreatePlainClient().GetAsync(url);
        string Header(string name) => response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";

        Assert.Equal("nosniff", Header("X-Content-Type-Options"));
        Assert.Equal("strict-origin-when-cross-origin", Header("Referrer-Policy"));
        Assert.Equal("same-origin", Header("Cross-Origin-Opener-Policy"));
        Assert.Contains("camera=()", Header("Permissions-Policy"));
        var policy = Header("Content-Security-Policy");
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Contains("script-src 'self'", policy);
        Assert.DoesNotContain("unsafe-inline", policy);
        Assert.DoesNotContain("unsafe-eval", policy);
    }
}
