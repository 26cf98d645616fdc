using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsPortal.Web.Data;

namespace NewsPortal.Web.Shared;

/// <summary>The page shown for every error status, with a message that says what went wrong.</summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    private const string MessageKey = "NewsPortal.ErrorMessage";

    public int Code { get; private set; }
    public string Heading { get; private set; } = "";
    public string Message { get; private set; } = "";

    /// <summary>Answers 400 with <paramref name="message"/> shown on the error page.</summary>
    public static IActionResult BadRequest(PageModel page, string message)
    {
        Explain(page.HttpContext, message);
        return page.BadRequest();
    }

    /// <summary>Shows <paramref name="message"/> on the error page this request ends with, instead of its status's general one.</summary>
    public static void Explain(HttpContext context, string message) => context.Items[MessageKey] = message;

    public IActionResult OnGet() => Show();

    public IActionResult OnPost() => Show();

    private PageResult Show()
    {
        // Read from the route, not bound: binding would read the form of the request that failed, which may be
        // the very thing that could not be read.
        int? code = int.TryParse(RouteData.Values["code"] as string, out var routeCode) ? routeCode : null;
        // Reached directly (not re-executed for an error), /error/N is itself a page that does not exist.
        var reExecuted = HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is not null
            || HttpContext.Features.Get<IExceptionHandlerPathFeature>() is not null;
        // After an exception there is no code in the address: the handler has set the status it chose (500, or 503
        // for a store out of reach).
        Code = reExecuted ? code ?? Response.StatusCode : StatusCodes.Status404NotFound;
        (Heading, var fallback) = Code switch
        {
            StatusCodes.Status400BadRequest when HttpMethods.IsPost(Request.Method)
                => ("Bad request", "The form could not be read. Remove any control characters (such as NUL) from what you entered, and send it again."),
            StatusCodes.Status400BadRequest => ("Bad request", "The address asked for something the portal cannot give."),
            StatusCodes.Status403Forbidden => ("Not allowed", "You do not have access to this page."),
            StatusCodes.Status413PayloadTooLarge => ("Too large", "What was sent is larger than this page takes."),
            StatusCodes.Status415UnsupportedMediaType => ("Unreadable request", "What was sent is in a form this page cannot read."),
            StatusCodes.Status404NotFound => ("Page not found", "There is no page at this address. It may have moved, or the link may be mistyped."),
            StatusCodes.Status410Gone => ("Gone", "This story has been withdrawn."),
            StatusCodes.Status507InsufficientStorage => ("Out of space", StoreHealth.OutOfSpace),
            StatusCodes.Status503ServiceUnavailable
                => ("Briefly unavailable", "The portal could not reach its stories just now. Try again in a few seconds."),
            >= 500 => ("Something went wrong", "The portal could not show this page. The problem has been logged."),
            _ => ("Error", "The request could not be completed."),
        };
        Message = HttpContext.Items[MessageKey] as string ?? fallback;
        Response.StatusCode = Code;
        if (Code == StatusCodes.Status503ServiceUnavailable)
        {
            StoreHealth.AskToComeBack(Response);
        }

        return Page();
    }
}
