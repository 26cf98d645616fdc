using System.Net;
using NewsPortal.Tests.Infrastructure;

namespace NewsPortal.Tests.Shared;

public sealed class HttpMethodTests(NewsPortalFactory factory) : IClassFixture<NewsPortalFactory>
{
    [Theory]
    [InlineData("TRACE", "/")]
    [InlineData("TRACE", "/articles/" + Seed.Slug)]
    [InlineData("TRACE", "/categories/english")]
    [InlineData("TRACE", "/languages/en")]
    [InlineData("TRACE", "/archive/2025/05")]
    [InlineData("TRACE", "/sources/anadolu-agency")]
    public async Task AMethodAPageHasNoHandlerFor_Is405WithTheMethodsItTakes(string method, string url)
    {
        using var response = await factory.CreatePlainClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("GET", response.Content.Headers.Allow);
    }
}
