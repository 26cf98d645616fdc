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

    /// <summary>
    /// Which query parameter could not be read, when the framework refused a request before its handler ran (it says
    /// only "bad request"): the handler's typed parameters are tried on the query as the framework reads them.
    /// </summary>
    public static string? BindingFailure(HttpContext context)
    {
        var parameters = context.GetEndpoint()?.Metadata.GetMetadata<System.Reflection.MethodInfo>()?.GetParameters() ?? [];
        foreach (var parameter in parameters)
        {
            var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
            if (parameter.Name is not { } name || !context.Request.Query.TryGetValue(name, out var values) || values.ToString() is not { Length: > 0 } value)
            {
                continue;
            }

            var invariant = System.Globalization.CultureInfo.InvariantCulture;
            var (readable, takes) = type == typeof(bool) ? (bool.TryParse(value, out _), "true or false")
                : type == typeof(int) ? (int.TryParse(value, invariant, out _), "a whole number")
                : type == typeof(DateOnly) ? (DateOnly.TryParse(value, invariant, out _), "a date, as 2026-03-01")
                : (true, "");
            if (!readable)
            {
                return $"The query parameter '{name}' takes {takes}; it was '{Shared.Text.Cut(Shared.Text.Line(value), 100)}'.";
            }
        }

        return null;
    }
}
