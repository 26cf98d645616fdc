using Microsoft.Playwright;
using NewsPortal.BrowserTests.Infrastructure;

namespace NewsPortal.BrowserTests;

/// <summary>axe-core finds no WCAG 2.2 A/AA violations on any page, in either theme.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserFixture browser)
{
    public static TheoryData<string, ColorScheme> PublicPages() => Pages(
        "/", Seeded.ArticlePath, "/categories", Seeded.CategoryPath, "/sources", Seeded.SourcePath,
        "/search?q=istanbul",
        // A search that cannot run: its notice, without results, as a search stopped at its time limit shows it.
        "/search?q=-istanbul", "/archive", "/languages", "/about", "/threads", Seeded.ThreadPath, "/account/login");

    public static TheoryData<string, ColorScheme> AdminPages() => Pages(
        "/admin", "/admin/articles/edit", "/admin/articles/edit/1", "/admin/articles/1/revisions", "/admin/import", "/admin/categories",
        "/admin/sources", "/admin/threads", "/admin/tokens", "/admin/password", "/admin/two-step", "/admin/passkeys", "/admin/users", "/admin/webhooks", "/admin/audit",
        // The sign-in page as a signed-in editor sees it.
        "/account/login");

    private static TheoryData<string, ColorScheme> Pages(params string[] paths)
    {
        var data = new TheoryData<string, ColorScheme>();
        foreach (var path in paths)
        {
            data.Add(path, ColorScheme.Light);
            data.Add(path, ColorScheme.Dark);
        }

        return data;
    }

    [PresentationTheory]
    [MemberData(nameof(PublicPages))]
    public Task PublicPage_HasNoAxeViolations(string path, ColorScheme theme) => CheckAsync(path, theme, signedIn: false);

    [PresentationTheory]
    [MemberData(nameof(AdminPages))]
    public Task AdminPage_HasNoAxeViolations(string path, ColorScheme theme) => CheckAsync(path, theme, signedIn: true);

    [PresentationTheory]
    [InlineData("/")]
    [InlineData("/admin")]
    public Task PhoneWidthPage_HasNoAxeViolations(string path) => CheckAsync(path, ColorScheme.Light, signedIn: true, width: 375, height: 812);

    [PresentationFact]
    public async Task Axe_PageWithKnownProblems_ReportsThem()
    {
        // Proves the checks above can fail: an image without alternative text and an unlabelled field.
        await using var context = await browser.NewContextAsync(bypassContentSecurityPolicy: true);
        var page = await context.NewPageAsync();
        await page.SetContentAsync("<!DOCTYPE html><html lang=en><title>t</title><main><img src=x.png><input></main></html>");

        var violations = await Axe.ViolationsAsync(page);

        Assert.Contains("image-alt", violations, StringComparison.Ordinal);
        Assert.Contains("label", violations, StringComparison.Ordinal);
    }

    private async Task CheckAsync(string path, ColorScheme theme, bool signedIn, int width = 1280, int height = 800)
    {
        // axe-core is injected as an inline script, which the site's Content-Security-Policy rightly refuses.
        await using var context = await browser.NewContextAsync(theme, signedIn, width, height, bypassContentSecurityPolicy: true);
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync(path);
        Assert.Equal(200, response!.Status);

        var violations = await Axe.ViolationsAsync(page);
        Assert.True(violations.Length == 0, $"axe found violations on {path} ({theme}):{Environment.NewLine}{violations}");
    }
}
