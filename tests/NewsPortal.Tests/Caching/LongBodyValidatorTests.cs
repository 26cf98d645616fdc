using Microsoft.AspNetCore.Http;
using NewsPortal.Web.Caching;

namespace NewsPortal.Tests.Caching;

/// <summary>The validator of a body longer than one of the buffer's pooled blocks, written in pieces as a page is.</summary>
public sealed class LongBodyValidatorTests
{
    private const int Length = 70_000;

    [Fact]
    public async Task TwoLongBodies_DifferingOnlyNearTheirEnd_HaveDifferentValidators_AndEachIsSentWhole()
    {
        var (unchangedTag, unchanged) = await ServeAsync(Body(changedAt: null));
        var (changedTag, changed) = await ServeAsync(Body(changedAt: Length - 10));

        Assert.NotEqual(unchangedTag, changedTag);
        Assert.Equal(Body(changedAt: null), unchanged);
        Assert.Equal(Body(changedAt: Length - 10), changed);
    }

    private static byte[] Body(int? changedAt)
    {
        var body = Enumerable.Repeat((byte)'a', Length).ToArray();
        if (changedAt is { } at)
        {
            body[at] = (byte)'b';
        }

        return body;
    }

    private static async Task<(string ETag, byte[] Sent)> ServeAsync(byte[] body)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Get;
        context.Request.Path = "/";
        using var sent = new MemoryStream();
        context.Response.Body = sent;
        var middleware = new ConditionalGetMiddleware(async page =>
        {
            for (var at = 0; at < body.Length; at += 1_000)
            {
                await page.Response.Body.WriteAsync(body.AsMemory(at, Math.Min(1_000, body.Length - at)));
            }
        });

        await middleware.InvokeAsync(context);
        return (context.Response.Headers.ETag.ToString(), sent.ToArray());
    }
}
