namespace NewsPortal.Tests.Infrastructure;

/// <summary>Reading the names admin (/admin/categories, /admin/sources, /admin/threads) as an editor does.</summary>
public static class NamesAdmin
{
    /// <summary>The id the admin's forms post for the name, found by searching the page for it.</summary>
    public static async Task<string> NameIdAsync(this HttpClient editor, string kind, string name)
    {
        var page = await editor.GetDocumentAsync($"/admin/{kind}?q={Uri.EscapeDataString(name)}");
        return page.QuerySelectorAll(".admin-table tbody tr").Single(r => r.QuerySelector("td a")!.TextContent == name)
            .QuerySelector("input[name=id]")!.GetAttribute("value")!;
    }
}
