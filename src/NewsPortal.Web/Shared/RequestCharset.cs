using System.Text;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Net.Http.Headers;
using NewsPortal.Web.Api;

namespace NewsPortal.Web.Shared;

/// <summary>
/// A request whose Content-Type names a character set .NET cannot read (an unknown or empty name, or UTF-7, which it
/// refuses) is answered 415 naming it. The form and JSON readers otherwise throw deep inside the framework: a 500 on
/// any page for one header, GETs included, since pages bind a form whatever the method. A quoted name
/// (<c>charset="utf-8"</c>, which HTTP allows) is unquoted, as the JSON reader does not. A part of a multipart form
/// naming UTF-7 is found only as the form is read, when .NET refuses it: that refusal is answered the same way.
/// </summary>
public static class RequestCharset
{
    public static IApplicationBuilder UseRequestCharsetCheck(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (context.Features.Get<IStatusCodeReExecuteFeature>() is null
            && request.ContentType is { } header && MediaTypeHeaderValue.TryParse(header, out var type) && type.Charset.HasValue)
        {
            var name = HeaderUtilities.RemoveQuotes(type.Charset);
            if (!IsReadable(name.Value))
            {
                var shown = name.Length > 40 ? name.Value![..40] + "…" : name.Value;
                await RefuseAsync(context, $"The request's Content-Type names the character set '{shown}', which the portal cannot read.");
                return;
            }

            if (name.Length != type.Charset.Length)
            {
                type.Charset = name;
                request.ContentType = type.ToString();
            }
        }

        try
        {
            await next(context);
        }
        catch (NotSupportedException ex) when (ex.TargetSite?.DeclaringType == typeof(Encoding) && !context.Response.HasStarted)
        {
            await RefuseAsync(context, "A part of the form names a character set the portal cannot read (UTF-7).");
        }
    });

    private static bool IsReadable(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return false;
        }

        try
        {
            return Encoding.GetEncoding(name) is not null;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            return false;
        }
    }

    private static Task RefuseAsync(HttpContext context, string problem)
    {
        var message = problem + " Send UTF-8 (charset=utf-8), or leave the charset out.";
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            return ApiProblems.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", message);
        }

        // The error page, re-executed for the status, shows the message.
        ErrorModel.Explain(context, message);
        context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
        return Task.CompletedTask;
    }
}
