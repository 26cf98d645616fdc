using System.Net;
using NewsPortal.Tests.Infrastructure;

namespace NewsPortal.Tests.Webhooks;

/// <summary>What admins and editors do in these tests, each through the real forms.</summary>
public static class WebhookSteps
{
    /// <summary>Registers <paramref name="url"/> at /admin/webhooks and returns the secret the page shows once.</summary>
    public static async Task<string> RegisterWebhookAsync(this HttpClient admin, string url)
    {
        using var add = await admin.SubmitFormAsync("/admin/webhooks", new Dictionary<string, string?> { ["Address"] = url }, "#add-webhook");
        Assert.True(add.StatusCode == HttpStatusCode.Redirect, $"adding a webhook answered {add.StatusCode}: {await add.Content.ReadAsStringAsync()}");
        var page = await admin.GetDocumentAsync(add.Headers.Location!.OriginalString);
        return page.TextOf("#new-secret");
    }

    /// <summary>Writes a story through the editor's form and returns its editor URL.</summary>
    public static async Task<string> WriteStoryAsync(this HttpClient editor, string title, string status = "Draft")
    {
        using var response = await editor.SubmitFormAsync("/admin/articles/edit", new Dictionary<string, string?>
        {
            ["Form.Title"] = title,
            ["Form.Dateline"] = "ISTANBUL",
            ["Form.Body"] = "Delegations met for a second day.",
            ["Form.PublishedOn"] = "2026-03-01",
            ["Form.Language"] = "en",
            ["Form.Categories"] = "Politics",
            ["Form.Sources"] = "Anadolu Agency",
            ["Form.Status"] = status,
        }, "#article-form");
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"saving a story answered {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response.Headers.Location!.OriginalString;
    }

    public static Task PublishAsync(this HttpClient editor, string editUrl) => PressAsync(editor, editUrl, "#article-form", handler: "Publish");

    public static Task UnpublishAsync(this HttpClient editor, string editUrl) => PressAsync(editor, editUrl, "#article-form", handler: "Unpublish");

    /// <summary>Saves the story's form again with a new body, keeping its status.</summary>
    public static Task EditBodyAsync(this HttpClient editor, string editUrl, string body)
        => PressAsync(editor, editUrl, "#article-form", new Dictionary<string, string?> { ["Form.Body"] = body });

    private static async Task PressAsync(HttpClient editor, string editUrl, string form, Dictionary<string, string?>? changes = null, string? handler = null)
    {
        using var response = await editor.SubmitFormAsync(editUrl, changes ?? [], form, handler);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{form} answered {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
