using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace NewsPortal.Tests.Infrastructure;

/// <summary>Posting real forms as a browser would: read the page, keep the form's fields and antiforgery token, change some, submit.</summary>
public static class Forms
{
    private static readonly HtmlParser Parser = new();

    /// <summary>
    /// GETs <paramref name="pageUrl"/>, finds the form (the first post form in main, or <paramref name="formSelector"/>),
    /// and posts its current fields with <paramref name="changes"/> applied.
    /// </summary>
    public static async Task<HttpResponseMessage> SubmitFormAsync(
        this HttpClient client, string pageUrl, IDictionary<string, string?> changes, string? formSelector = null, string? submitHandler = null,
        IEnumerable<KeyValuePair<string, string>>? formFields = null)
    {
        var page = await client.GetDocumentAsync(pageUrl);
        var form = (IHtmlFormElement)(page.QuerySelector(formSelector ?? "main form[method=post]")
            ?? throw new Xunit.Sdk.XunitException($"No form '{formSelector}' on {pageUrl}"));
        var fields = FieldsOf(form);
        foreach (var (name, value) in changes)
        {
            fields[name] = value;
        }

        var action = form.GetAttribute("action") is { Length: > 0 } a ? a : pageUrl;
        if (submitHandler is not null)
        {
            action += (action.Contains('?', StringComparison.Ordinal) ? "&" : "?") + $"handler={submitHandler}";
        }

        // formFields adds fields that repeat (ticked boxes) or live outside the form (form="…").
        return await client.PostAsync(action, new FormUrlEncodedContent(
            fields.Where(f => f.Value is not null).Select(f => new KeyValuePair<string, string>(f.Key, f.Value!)).Concat(formFields ?? [])));
    }

    /// <summary>
    /// Posts the form <paramref name="formSelector"/> on <paramref name="pageUrl"/> <paramref name="times"/> times at
    /// once, as from that many tabs opened on the page (or clicks), and returns each answer's status.
    /// </summary>
    public static async Task<System.Net.HttpStatusCode[]> SubmitFormAtOnceAsync(this HttpClient client, string pageUrl, string formSelector, int times)
    {
        var page = await client.GetDocumentAsync(pageUrl);
        var form = (IHtmlFormElement)(page.QuerySelector(formSelector) ?? throw new Xunit.Sdk.XunitException($"No form '{formSelector}' on {pageUrl}"));
        var fields = FieldsOf(form).Where(f => f.Value is not null).Select(f => new KeyValuePair<string, string>(f.Key, f.Value!)).ToList();
        var action = form.GetAttribute("action") is { Length: > 0 } a ? a : pageUrl;
        return await Task.WhenAll(Enumerable.Range(0, times).Select(async _ =>
        {
            using var response = await client.PostAsync(action, new FormUrlEncodedContent(fields));
            return response.StatusCode;
        }));
    }

    public static Dictionary<string, string?> FieldsOf(IHtmlFormElement form)
    {
        var fields = new Dictionary<string, string?>();
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                case IHtmlInputElement { Type: "checkbox" or "radio" } box when !box.IsChecked:
                case IHtmlInputElement { Type: "submit" or "button" or "file" }:
                    break;
                case IHtmlInputElement input when input.Name is { Length: > 0 } name:
                    fields[name] = input.Value;
                    break;
                case IHtmlTextAreaElement area when area.Name is { Length: > 0 } name:
                    fields[name] = area.Value;
                    break;
                case IHtmlSelectElement select when select.Name is { Length: > 0 } name:
                    fields[name] = select.SelectedOptions.FirstOrDefault()?.Value ?? select.Options.FirstOrDefault()?.Value;
                    break;
            }
        }

        return fields;
    }

    public static async Task<IDocument> ReadDocumentAsync(this HttpResponseMessage response)
        => await Parser.ParseDocumentAsync(await response.Content.ReadAsStringAsync());
}
