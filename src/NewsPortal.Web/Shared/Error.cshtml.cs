using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NewsPortal.Web.Data;

namespace NewsPortal.Web.Shared;

/// <summary>The page shown for every error status, with a message that says what went wrong.</summary>
[IgnoreAntiforgeryToken]
public sealed partial class ErrorModel : PageModel
{
    private const string MessageKey = "NewsPortal.ErrorMessage";

    public int Code { get; private set; }
    public string Heading { get; private set; } = "";
    public string Message { get; private set; } = "";

    /// <summary>On a page not found, the words of the address asked for, offered as a search ("istanbul talks").</summary>
    public string? SearchFor { get; private set; }

    /// <summary>Words enough for a search, and a bound on what an address of any length offers.</summary>
    private const int MaxSearchWords = 8;

    private const int MaxSearchWordLength = 40;

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
        if (Code == StatusCodes.Status404NotFound && (HttpMethods.IsGet(Request.Method) || HttpMethods.IsHead(Request.Method))
            && HttpContext.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalPath is { } missing
            && !missing.StartsWith("/admin", StringComparison.OrdinalIgnoreCase) && !missing.StartsWith("/account", StringComparison.OrdinalIgnoreCase))
        {
            SearchFor = WordsOf(missing);
        }

        Response.StatusCode = Code;
        if (Code == StatusCodes.Status503ServiceUnavailable)
        {
            StoreHealth.AskToComeBack(Response);
        }

        return Page();
    }

    /// <summary>
    /// The words of an address's last part, as a reader looking for the story would search for it: an old link or a
    /// mistyped one is mostly a story's slug ("/articles/istanbul-talk", "/2025/05/istanbul-talks.html"). Null when it
    /// holds no word (an id, a date).
    /// </summary>
    public static string? WordsOf(string path)
    {
        var last = path.TrimEnd('/');
        last = last[(last.LastIndexOf('/') + 1)..];
        if (last.LastIndexOf('.') is > 0 and var dot && last.Length - dot <= 6)
        {
            last = last[..dot];
        }

        // The server decodes what percent-encoding it can; what is left (bytes that are not UTF-8, an encoded slash)
        // is no word: "%ED%A0%80bad" offers "bad", not "ED A0 80bad".
        var words = Search.Highlighter.Words(EncodedByte().Replace(last, " "))
            .Where(w => w.Length <= MaxSearchWordLength && w.EnumerateRunes().Any(System.Text.Rune.IsLetter))
            .Take(MaxSearchWords)
            .ToList();
        return words.Count == 0 ? null : string.Join(' ', words);
    }

    [System.Text.RegularExpressions.GeneratedRegex("%[0-9A-Fa-f]{2}")]
    private static partial System.Text.RegularExpressions.Regex EncodedByte();
}
