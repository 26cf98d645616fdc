using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace NewsPortal.Tests.Infrastructure;

public static class Html
{
    private static readonly HtmlParser Parser = new();

    /// <summary>GETs a page and parses it, failing the test unless the status is the one expected.</summary>
    public static async Task<IDocument> GetDocumentAsync(this HttpClient client, string url, int expectedStatus = 200)
    {
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expectedStatus, $"GET {url} answered {(int)response.StatusCode}, expected {expectedStatus}:\n{body[..Math.Min(body.Length, 2000)]}");
        Assert.StartsWith("text/html", response.Content.Headers.ContentType?.MediaType);
        return await Parser.ParseDocumentAsync(body);
    }

    public static string TextOf(this IDocument document, string selector)
        => (document.QuerySelector(selector) ?? throw new Xunit.Sdk.XunitException($"No element matches '{selector}'")).TextContent.Trim();

    public static string[] TextsOf(this IDocument document, string selector)
        => document.QuerySelectorAll(selector).Select(e => e.TextContent.Trim()).ToArray();

    public static string Normalized(this string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
