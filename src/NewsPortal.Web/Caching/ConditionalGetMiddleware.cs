using System.Security.Cryptography;
using Microsoft.IO;
using Microsoft.Net.Http.Headers;

namespace NewsPortal.Web.Caching;

/// <summary>
/// Gives every public page, feed and sitemap a validator and answers a matching If-None-Match with 304: the body
/// is hashed once when rendered, and the output cache keeps the ETag with the response it stores (and answers 304
/// itself from then on). Weak, because the same page is sent compressed in more than one way.
/// </summary>
public sealed class ConditionalGetMiddleware(RequestDelegate next)
{
    /// <summary>Bodies larger than this are sent as they are written, without a validator.</summary>
    private const int MaxBufferedBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Every uncached page passes through a buffer here: pooled blocks rather than a growing array each time, which
    /// made a third of a page's allocations (a 35 KB page grew through 256 bytes to 64 KB).
    /// </summary>
    private static readonly RecyclableMemoryStreamManager Buffers = new(new RecyclableMemoryStreamManager.Options
    {
        BlockSize = 16 * 1024,
        MaximumSmallPoolFreeBytes = 16 * 1024 * 1024,
        MaximumLargePoolFreeBytes = 4 * MaxBufferedBytes,
    });

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            || request.Path.StartsWithSegments("/admin")
            || request.Path.StartsWithSegments("/account")
            || context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.StaticAssets.StaticAssetDescriptor>() is not null)
        {
            await next(context);
            return;
        }

        var original = context.Response.Body;
        await using var buffer = Buffers.GetStream("ConditionalGet");
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        var response = context.Response;
        if (response.StatusCode == StatusCodes.Status200OK && buffer.Length is > 0 and <= MaxBufferedBytes && !response.Headers.ContainsKey(HeaderNames.ETag))
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (var block in buffer.GetReadOnlySequence())
            {
                sha.AppendData(block.Span);
            }

            var hash = sha.GetHashAndReset();
            var etag = $"W/\"{Convert.ToHexStringLower(hash.AsSpan(0, 16))}\"";
            response.Headers.ETag = etag;
            if (Matches(request.Headers.IfNoneMatch, etag))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                response.ContentLength = null;
                response.Headers.ContentType = default;
                return;
            }
        }

        if (buffer.Length > 0)
        {
            response.ContentLength = buffer.Length;
            buffer.Position = 0;
            await buffer.CopyToAsync(original, context.RequestAborted);
        }
    }

    private static bool Matches(Microsoft.Extensions.Primitives.StringValues ifNoneMatch, string etag)
    {
        if (!EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags) || !EntityTagHeaderValue.TryParse(etag, out var ours))
        {
            return false;
        }

        return tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(ours, useStrongComparison: false));
    }
}
