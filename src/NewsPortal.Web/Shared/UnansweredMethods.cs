using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace NewsPortal.Web.Shared;

/// <summary>
/// A request a page has no handler for (TRACE, or a POST to a read-only page or a handler it lacks) is answered 405 with the
/// methods it takes. Razor Pages would otherwise render the page without running any handler, so with nothing
/// loaded: a 500 for <c>TRACE /</c>. Antiforgery stops unsafe methods without its token first (400); TRACE it lets through.
/// </summary>
public sealed class UnansweredMethods : IPageFilter
{
    public void OnPageHandlerSelected(PageHandlerSelectedContext context)
    {
    }

    public void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        var request = context.HttpContext.Request;
        if (context.HandlerMethod is not null || HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)
            || context.HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is not null)
        {
            return;
        }

        var methods = context.ActionDescriptor.HandlerMethods.Select(h => h.HttpMethod.ToUpperInvariant()).Append("GET").Append("HEAD").Distinct();
        context.HttpContext.Response.Headers.Allow = string.Join(", ", methods);
        context.Result = new StatusCodeResult(StatusCodes.Status405MethodNotAllowed);
    }

    public void OnPageHandlerExecuted(PageHandlerExecutedContext context)
    {
    }
}
