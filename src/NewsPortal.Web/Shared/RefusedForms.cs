using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Core.Infrastructure;
using Microsoft.AspNetCore.Mvc.Filters;

namespace NewsPortal.Web.Shared;

/// <summary>
/// Says why a form was refused before its page saw it. Antiforgery refuses a post whose token is missing or stale (a
/// page left open past a restart of the key ring, a form posted from elsewhere), and also one whose body it could not
/// read, which for an upload is one over the page's size limit: those two get their own message (and the upload a
/// 413); any other body it could not read keeps the error page's general one.
/// </summary>
public sealed class RefusedForms : IAlwaysRunResultFilter
{
    public const string Expired = "This form has expired, or was not sent from this site's own page. Reload the page and send it again (copy anything you typed first).";

    public void OnResultExecuting(ResultExecutingContext context)
    {
        if (context.Result is not IAntiforgeryValidationFailedResult)
        {
            return;
        }

        var http = context.HttpContext;
        if (http.Request.ContentLength is { } length && http.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize is { } limit
            && length > limit)
        {
            ErrorModel.Explain(http, $"What was sent is {Megabytes(length)}, more than the {Megabytes(limit)} this page takes at once. Send fewer or smaller files at a time.");
            context.Result = new StatusCodeResult(StatusCodes.Status413PayloadTooLarge);
            return;
        }

        // A form that was read had no valid token; one that could not be read (a NUL in it) keeps the general message.
        if (http.Features.Get<IFormFeature>()?.Form is not null || !http.Request.HasFormContentType)
        {
            ErrorModel.Explain(http, Expired);
        }
    }

    public void OnResultExecuted(ResultExecutedContext context)
    {
    }

    private static string Megabytes(long bytes) => $"{bytes / (1024.0 * 1024):0.#} MB";
}
