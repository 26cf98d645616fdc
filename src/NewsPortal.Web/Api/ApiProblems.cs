namespace NewsPortal.Web.Api;

/// <summary>RFC 9457 problem details for the API, written the same way from handlers, auth and the rate limiter.</summary>
public static class ApiProblems
{
    public static Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(
            new { type = $"https://httpstatuses.io/{status}", title, status, detail, instance = context.Request.Path.Value },
            options: null, contentType: "application/problem+json");
    }

    public static IResult Problem(int status, string title, string detail)
        => Results.Problem(detail: detail, statusCode: status, title: title);

    public static IResult NotFound(string what) => Problem(StatusCodes.Status404NotFound, "Not found", what);
}
